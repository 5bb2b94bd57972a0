"""External character language models for shallow fusion: Kneser-Ney N-gram and LSTM.

Both score the tokenizer's labels plus end-of-sentence (``eos = V``) and share a batched,
state-based interface used by beam search and by the MWER scores:

- ``init_state(n)``: the state after ``<s>`` for ``n`` hypotheses;
- ``next_logprobs(state)``: [n, V + 1] log-probs of the next label (last column: eos);
- ``advance(state, tokens)``: the state after one label per hypothesis;
- ``select(state, index)``: the states of hypotheses ``index`` (after a beam step);
- ``sequence_logprobs(seqs)``: per-label log-probs [N, U_max] (0 at padding) and eos [N].
"""
from __future__ import annotations

import os.path as osp
from collections import defaultdict

import torch
from mmengine.logging import print_log
from torch import nn

from ..registry import MODELS
from .tokenizer import CharTokenizer


def load_corpus(corpus) -> list[str]:
    """The LM training text: a text file (one sentence per line) or a generated corpus.

    Args:
        corpus (str | dict | list[str]): A path; ``dict(type='RareWordCorpus', **kwargs)``
            (the embedded grammar's LM text, :func:`..datasets.rare_words.lm_corpus`); or the
            sentences themselves.
    """
    if isinstance(corpus, (list, tuple)):
        return list(corpus)
    if isinstance(corpus, str):
        if not osp.isfile(corpus):
            raise FileNotFoundError(
                f'LM corpus {corpus!r} not found: prepare it as described in '
                'projects/hat_mwer/tools/data/README.md (one normalised sentence per line).')
        with open(corpus) as f:
            return [line.strip() for line in f if line.strip()]
    if isinstance(corpus, dict) and corpus.get('type') == 'RareWordCorpus':
        from ..datasets.rare_words import lm_corpus
        return lm_corpus(**{k: v for k, v in corpus.items() if k != 'type'})
    raise TypeError(f'lm corpus must be a path, a list of sentences or '
                    f"dict(type='RareWordCorpus', ...); got {corpus!r}.")


@MODELS.register_module()
class KNGramLM(nn.Module):
    """Character N-gram with interpolated Kneser-Ney smoothing (Chen & Goodman 1999).

    ``P(w|h) = max(c(h,w) - D_n, 0) / c(h) + D_n N1+(h .) / c(h) * P(w|h')``, with raw counts at
    the highest order, continuation counts ``N1+(. h w)`` below it, one discount per order
    ``D_n = n1 / (n1 + 2 n2)``, and the unigram interpolated with the uniform distribution.
    Contexts never seen back off entirely to the lower order. Distributions are cached per
    context.

    Args:
        corpus: What :func:`load_corpus` accepts.
        order (int): N. Defaults to 8 (characters).
        chars (str, optional): Tokenizer characters (default alphabet if None).
    """

    def __init__(self, corpus, order: int = 8, chars: str | None = None) -> None:
        super().__init__()
        self.tokenizer = CharTokenizer(chars) if chars else CharTokenizer()
        self.order = order
        self.num_out = self.tokenizer.num_labels + 1
        self.corpus = corpus
        self._tables: list | None = None
        self.discounts: list[float] = []
        self._cache: dict[tuple, torch.Tensor] = {}
        # A buffer so that .to(device) moves where distributions are built.
        self.register_buffer('_anchor', torch.zeros(0), persistent=False)

    @property
    def tables(self) -> list[dict]:
        """Per order n, ``context -> (next counts, total, distinct)`` (built on first use, so
        that a config builds its model without reading the corpus)."""
        if self._tables is None:
            self._count()
        return self._tables

    def _count(self) -> None:
        order = self.order
        sentences = load_corpus(self.corpus)
        counts = [defaultdict(lambda: defaultdict(int)) for _ in range(order + 1)]
        highest = counts[order]
        bos = self.tokenizer.bos
        for sent in sentences:
            seq = [bos] * (order - 1) + self.tokenizer.encode(sent) + [self.tokenizer.eos]
            for i in range(order - 1, len(seq)):
                highest[tuple(seq[i - order + 1:i])][seq[i]] += 1
        # Continuation counts: N1+(. h w) = distinct left extensions of (h, w).
        for n in range(order, 1, -1):
            for ctx, nexts in counts[n].items():
                for w in nexts:
                    counts[n - 1][ctx[1:]][w] += 1
        tables = []
        discounts = []
        for n in range(order + 1):
            table = {}
            n1 = n2 = 0
            for ctx, nexts in counts[n].items():
                table[ctx] = (dict(nexts), sum(nexts.values()), len(nexts))
                n1 += sum(1 for c in nexts.values() if c == 1)
                n2 += sum(1 for c in nexts.values() if c == 2)
            tables.append(table)
            discounts.append(n1 / (n1 + 2 * n2) if n1 + n2 else 0.5)
        self._tables, self.discounts = tables, discounts

    def distribution(self, context: tuple) -> torch.Tensor:
        """log P(. | context) [V + 1] for a context of ``order - 1`` ids."""
        cached = self._cache.get(context)
        if cached is not None:
            return cached
        tables = self.tables
        prob = torch.full((self.num_out,), 1.0 / self.num_out, dtype=torch.float64)
        for n in range(1, self.order + 1):
            ctx = context[len(context) - n + 1:] if n > 1 else ()
            entry = tables[n].get(ctx)
            if entry is None:
                continue
            nexts, total, distinct = entry
            d = self.discounts[n]
            higher = torch.zeros(self.num_out, dtype=torch.float64)
            for w, c in nexts.items():
                higher[w] = max(c - d, 0.0) / total
            prob = higher + d * distinct / total * prob
        out = prob.log().float().to(self._anchor.device)
        self._cache[context] = out
        return out

    def init_state(self, n: int) -> list[tuple]:
        return [(self.tokenizer.bos,) * (self.order - 1)] * n

    def next_logprobs(self, state: list[tuple]) -> torch.Tensor:
        return torch.stack([self.distribution(s) for s in state])

    def advance(self, state: list[tuple], tokens: torch.Tensor) -> list[tuple]:
        return [s[1:] + (int(w),) for s, w in zip(state, tokens.tolist(), strict=True)]

    def select(self, state: list[tuple], index: torch.Tensor) -> list[tuple]:
        return [state[i] for i in index.tolist()]

    def sequence_logprobs(self, seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        u_max = max([len(s) for s in seqs] + [1])
        out = torch.zeros(len(seqs), u_max, device=self._anchor.device)
        eos = torch.zeros(len(seqs), device=self._anchor.device)
        for i, seq in enumerate(seqs):
            ctx = (self.tokenizer.bos,) * (self.order - 1)
            for u, w in enumerate(seq):
                out[i, u] = self.distribution(ctx)[w]
                ctx = ctx[1:] + (w,)
            eos[i] = self.distribution(ctx)[self.tokenizer.eos]
        return out, eos


@MODELS.register_module()
class LSTMLM(nn.Module):
    """A small character LSTM LM, frozen during recogniser training.

    Weights come from ``checkpoint`` when the file exists; otherwise, when ``corpus`` is given,
    the LM trains itself on it for ``train_steps`` Adam steps at construction (seeded) and
    saves to ``checkpoint`` if that is set.

    Args:
        corpus: What :func:`load_corpus` accepts, or None.
        checkpoint (str, optional): A state dict file.
        embed_channels (int): Defaults to 32.
        hidden_channels (int): Defaults to 128.
        num_layers (int): Defaults to 1.
        train_steps (int): Defaults to 300.
        batch_size (int): Defaults to 64.
        seed (int): Defaults to 0.
        chars (str, optional): Tokenizer characters.
    """

    def __init__(self, corpus=None, checkpoint: str | None = None, embed_channels: int = 32,
                 hidden_channels: int = 128, num_layers: int = 1, train_steps: int = 300,
                 batch_size: int = 64, seed: int = 0, chars: str | None = None) -> None:
        super().__init__()
        self.tokenizer = CharTokenizer(chars) if chars else CharTokenizer()
        v = self.tokenizer.num_labels
        self.embed = nn.Embedding(v + 2, embed_channels)
        self.lstm = nn.LSTM(embed_channels, hidden_channels, num_layers, batch_first=True)
        self.out = nn.Linear(hidden_channels, v + 1)
        if checkpoint and osp.isfile(checkpoint):
            self.load_state_dict(torch.load(checkpoint, map_location='cpu', weights_only=True))
        elif corpus is not None:
            self.fit(load_corpus(corpus), train_steps, batch_size, seed)
            if checkpoint:
                torch.save(self.state_dict(), checkpoint)
        elif checkpoint:
            raise FileNotFoundError(f'LSTMLM checkpoint {checkpoint!r} not found and no '
                                    'corpus to train on: set lm.corpus or train the LM first.')
        self.requires_grad_(False)

    def fit(self, sentences: list[str], steps: int, batch_size: int, seed: int) -> float:
        """Trains on ``sentences`` (next-character cross-entropy); returns the last loss."""
        gen = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        self.reset_parameters_seeded()
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        seqs = [self.tokenizer.encode(s) for s in sentences]
        loss = torch.tensor(0.0)
        for _ in range(steps):
            idx = torch.randint(len(seqs), (batch_size,), generator=gen).tolist()
            logp, eos = self.sequence_logprobs([seqs[i] for i in idx], grad=True)
            count = sum(len(seqs[i]) + 1 for i in idx)
            loss = -(logp.sum() + eos.sum()) / count
            opt.zero_grad()
            loss.backward()
            opt.step()
        print_log(f'LSTMLM trained {steps} steps, last loss {loss.item():.3f} nats/char',
                  logger='current')
        return loss.item()

    def reset_parameters_seeded(self) -> None:
        for m in (self.embed, self.lstm, self.out):
            m.reset_parameters()

    def _run(self, tokens: torch.Tensor, state):
        out, state = self.lstm(self.embed(tokens), state)
        return torch.log_softmax(self.out(out), -1), state

    def init_state(self, n: int):
        device = self.out.weight.device
        logp, state = self._run(torch.full((n, 1), self.tokenizer.bos, device=device), None)
        return logp[:, 0], state

    def next_logprobs(self, state) -> torch.Tensor:
        return state[0]

    def advance(self, state, tokens: torch.Tensor):
        logp, hc = self._run(tokens[:, None], state[1])
        return logp[:, 0], hc

    def select(self, state, index: torch.Tensor):
        logp, (h, c) = state
        return logp[index], (h[:, index], c[:, index])

    def sequence_logprobs(self, seqs: list[list[int]], grad: bool = False
                          ) -> tuple[torch.Tensor, torch.Tensor]:
        device = self.out.weight.device
        u_max = max([len(s) for s in seqs] + [1])
        tokens = torch.zeros(len(seqs), u_max + 1, dtype=torch.long, device=device)
        tokens[:, 0] = self.tokenizer.bos
        lengths = torch.tensor([len(s) for s in seqs], device=device)
        for i, s in enumerate(seqs):
            tokens[i, 1:len(s) + 1] = torch.tensor(s, dtype=torch.long)
        with torch.set_grad_enabled(grad):
            logp, _ = self._run(tokens, None)
            nxt = tokens[:, 1:].clone()
            label = logp[:, :u_max].gather(2, nxt[..., None])[..., 0]
            mask = torch.arange(u_max, device=device)[None] < lengths[:, None]
            label = label * mask
            eos = logp[torch.arange(len(seqs), device=device), lengths, self.tokenizer.eos]
        return label, eos


def merge_lm_state(lm: nn.Module, mask: torch.Tensor, new, old):
    """Per hypothesis, ``new`` where ``mask`` else ``old`` (states of either LM type)."""
    if isinstance(new, list):
        return [n if m else o for n, o, m in zip(new, old, mask.tolist(), strict=True)]
    (logp_n, (h_n, c_n)), (logp_o, (h_o, c_o)) = new, old
    m = mask[:, None]
    return (torch.where(m, logp_n, logp_o),
            (torch.where(m[None], h_n, h_o), torch.where(m[None], c_n, c_o)))
