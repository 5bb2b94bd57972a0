"""Batched beam search on hand-built joints whose best path is known."""
import itertools
import math

import torch
from torch import nn

from projects.hat_mwer.models import beam_search


class TablePrediction(nn.Module):
    """A prediction 'network' whose output is the last label (one-hot), start = V."""

    def __init__(self, v):
        super().__init__()
        self.v = v

    def initial(self, n, device):
        return self.step(torch.full((n,), self.v, dtype=torch.long), None)

    def step(self, tokens, state):
        out = nn.functional.one_hot(tokens, self.v + 1).float()
        h = torch.zeros(1, len(tokens), 1)
        return out, (h, h)


class TableJoint(nn.Module):
    """log-probs from a table [T, V+1 (last label or start), V+1 (blank last)]: the frame is
    read from the encoder input (a one-hot of t)."""

    def __init__(self, table):
        super().__init__()
        self.table = table

    def step(self, enc, pred):
        t = enc.argmax(-1)
        last = pred.argmax(-1)
        logp = self.table[t, last]
        return logp[:, :-1], logp[:, -1]

    def ilm_logprobs(self, pred):
        return torch.full(pred.shape[:-1] + (self.table.shape[-1] - 1,), -math.log(2.0))


def test_beam_search_finds_the_best_sequence_of_a_hand_built_joint():
    torch.manual_seed(0)
    t_len, v = 4, 2
    # A random peaked table: the best sequence (alignments summed) found by enumeration.
    table = torch.log_softmax(torch.randn(t_len, v + 1, v + 1) * 2, -1)
    enc = torch.eye(t_len)[None].repeat(2, 1, 1)
    lists = beam_search(enc, torch.tensor([t_len, 3]), TablePrediction(v), TableJoint(table),
                        beam=8)
    for i, t_valid in enumerate((t_len, 3)):
        candidates = [list(s) for n in range(t_valid + 1)
                      for s in itertools.product(range(v), repeat=n)]
        # Distinct alignments of one sequence merge by log-add in the search.
        totals = {}
        for seq in candidates:
            paths = []
            for frames in itertools.combinations(range(t_valid), len(seq)):
                s, last, k = 0.0, v, 0
                for t in range(t_valid):
                    if k < len(seq) and frames[k] == t:
                        s += float(table[t, last, seq[k]])
                        last, k = seq[k], k + 1
                    else:
                        s += float(table[t, last, -1])
                paths.append(s)
            totals[tuple(seq)] = float(torch.logsumexp(torch.tensor(paths), 0))
        best = max(totals, key=totals.get)
        assert tuple(lists[i][0][0]) == best
        assert math.isclose(lists[i][0][1], totals[best], rel_tol=1e-5)


def test_fusion_changes_the_winner_toward_the_lm():
    t_len, v = 2, 2
    table = torch.full((t_len, v + 1, v + 1), -5.0)
    table[:, :, 0] = math.log(0.55)  # label 0 acoustically a little ahead
    table[:, :, 1] = math.log(0.45)
    table[:, :, 2] = -5.0
    table[1] = torch.tensor([-5.0, -5.0, 0.0])  # then blank

    class LM(nn.Module):
        def init_state(self, n):
            return [()] * n

        def next_logprobs(self, state):
            return torch.log(torch.tensor([[0.1, 0.8, 0.1]])).repeat(len(state), 1)

        def advance(self, state, tokens):
            return [s + (int(w),) for s, w in zip(state, tokens.tolist(), strict=True)]

        def select(self, state, index):
            return [state[i] for i in index.tolist()]

    enc = torch.eye(t_len)[None]
    args = (enc, torch.tensor([t_len]), TablePrediction(v), TableJoint(table))
    assert beam_search(*args, beam=3)[0][0][0] == [0]
    assert beam_search(*args, beam=3, lm=LM(), lm_weight=1.0)[0][0][0] == [1]
    # ILM subtraction is a constant here (uniform ILM): same winner as without it.
    assert beam_search(*args, beam=3, lm=LM(), lm_weight=1.0, ilm_weight=0.5)[0][0][0] == [1]
