"""The transducer loss on HAT log-probs, vectorised over the (T, U) lattice.

The forward variable of the transducer (Graves 2012; the HAT paper) is

    alpha[t, u] = logaddexp(alpha[t-1, u] + blank[t-1, u], alpha[t, u-1] + emit[t, u-1])

with ``alpha[0, 0] = 0`` and ``log P(y | x) = alpha[T-1, U] + blank[T-1, U]``. Within one frame
the recursion along ``u`` is linear in the probability domain, so with
``C[u] = sum_{j<u} emit[t, j]`` it has the closed form

    alpha[t, u] = C[u] + logcumsumexp_{k<=u}(init[k] - C[k]),
    init[u] = alpha[t-1, u] + blank[t-1, u]

which :func:`hat_transducer_loss` evaluates for all ``u`` and all utterances at once; the only
Python loop is over frames. Gradients come from autograd. Two slow references live beside it
for tests and the benchmark: a loop over every lattice node (:func:`transducer_loss_loop`) and
the sum over every alignment (:func:`transducer_loss_bruteforce`).
"""
from __future__ import annotations

import itertools

import torch


def _emit_logprobs(label_logp: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """log P(y_{u+1} | t, u) [B, T, U] from label log-probs [B, T, U+1, V]."""
    u = targets.shape[1]
    index = targets[:, None, :, None].expand(-1, label_logp.shape[1], -1, 1)
    return label_logp[:, :, :u].gather(3, index)[..., 0]


def _check(label_logp, blank_logp, targets, logit_lengths, target_lengths) -> None:
    b, t, u1, _ = label_logp.shape
    if blank_logp.shape != (b, t, u1) or targets.shape != (b, u1 - 1):
        raise ValueError(f'HAT loss: label log-probs {tuple(label_logp.shape)} [B,T,U+1,V], '
                         f'blank {tuple(blank_logp.shape)} [B,T,U+1] and targets '
                         f'{tuple(targets.shape)} [B,U] do not match.')
    if (logit_lengths < 1).any() or (logit_lengths > t).any() or \
            (target_lengths < 0).any() or (target_lengths > u1 - 1).any():
        raise ValueError(f'HAT loss: lengths out of range (T={t}, U={u1 - 1}): '
                         f'{logit_lengths.tolist()}, {target_lengths.tolist()}.')


def hat_transducer_loss(label_logp: torch.Tensor, blank_logp: torch.Tensor,
                        targets: torch.Tensor, logit_lengths: torch.Tensor,
                        target_lengths: torch.Tensor) -> torch.Tensor:
    """Negative log-likelihood ``-log P(y | x)`` per utterance, summed over alignments.

    Args:
        label_logp (Tensor): [B, T, U+1, V] label log-probs (HAT: log(1-b) + log softmax).
        blank_logp (Tensor): [B, T, U+1] blank log-probs.
        targets (Tensor): [B, U] label ids (any id in range after each utterance's end).
        logit_lengths (Tensor): [B] valid frames per utterance (>= 1).
        target_lengths (Tensor): [B] labels per utterance.

    Returns:
        Tensor: [B] losses.
    """
    _check(label_logp, blank_logp, targets, logit_lengths, target_lengths)
    emit = _emit_logprobs(label_logp, targets)
    cum = torch.cat([emit.new_zeros(emit.shape[:2] + (1,)), emit.cumsum(-1)], -1)
    init = torch.full_like(blank_logp[:, 0], float('-inf'))
    init[:, 0] = 0
    alphas = []
    for t in range(label_logp.shape[1]):
        if t:
            init = alphas[-1] + blank_logp[:, t - 1]
        alphas.append(cum[:, t] + torch.logcumsumexp(init - cum[:, t], dim=-1))
    alpha = torch.stack(alphas, 1)
    batch = torch.arange(len(targets), device=targets.device)
    last_t = logit_lengths - 1
    return -(alpha[batch, last_t, target_lengths] + blank_logp[batch, last_t, target_lengths])


def transducer_loss_loop(label_logp: torch.Tensor, blank_logp: torch.Tensor,
                         targets: torch.Tensor, logit_lengths: torch.Tensor,
                         target_lengths: torch.Tensor) -> torch.Tensor:
    """Reference: the same recursion with a Python loop over every frame and label position
    (batched over utterances only)."""
    _check(label_logp, blank_logp, targets, logit_lengths, target_lengths)
    emit = _emit_logprobs(label_logp, targets)
    b, t_max, u1 = blank_logp.shape
    alpha = [[None] * u1 for _ in range(t_max)]
    for t in range(t_max):
        for u in range(u1):
            terms = []
            if t == 0 and u == 0:
                terms.append(blank_logp.new_zeros(b))
            if t > 0:
                terms.append(alpha[t - 1][u] + blank_logp[:, t - 1, u])
            if u > 0:
                terms.append(alpha[t][u - 1] + emit[:, t, u - 1])
            alpha[t][u] = terms[0] if len(terms) == 1 else torch.logaddexp(terms[0], terms[1])
    out = []
    for i in range(b):
        t, u = int(logit_lengths[i]) - 1, int(target_lengths[i])
        out.append(-(alpha[t][u][i] + blank_logp[i, t, u]))
    return torch.stack(out)


def transducer_loss_bruteforce(label_logp: torch.Tensor, blank_logp: torch.Tensor,
                               targets: torch.Tensor, logit_lengths: torch.Tensor,
                               target_lengths: torch.Tensor) -> torch.Tensor:
    """Reference: log-sum over every alignment, enumerated (tiny lattices only).

    An alignment of U labels to T frames is a path of T-1 blank moves and U label moves
    from (0, 0) to (T-1, U), then the final blank: C(T-1+U, U) paths.
    """
    _check(label_logp, blank_logp, targets, logit_lengths, target_lengths)
    emit = _emit_logprobs(label_logp, targets)
    out = []
    for i in range(len(targets)):
        t_len, u_len = int(logit_lengths[i]), int(target_lengths[i])
        paths = []
        for label_steps in itertools.combinations(range(t_len - 1 + u_len), u_len):
            t = u = 0
            terms = []
            for step in range(t_len - 1 + u_len):
                if step in label_steps:
                    terms.append(emit[i, t, u])
                    u += 1
                else:
                    terms.append(blank_logp[i, t, u])
                    t += 1
            terms.append(blank_logp[i, t, u])
            paths.append(torch.stack(terms).sum())
        out.append(-torch.logsumexp(torch.stack(paths), 0))
    return torch.stack(out)
