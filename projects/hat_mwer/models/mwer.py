"""Minimum word error rate over an N-best list (Prabhavalkar et al., ICASSP 2018, the
N-best MWER loss): the hypothesis probabilities renormalised over the list, the expected
number of word errors with the list's mean subtracted."""
from __future__ import annotations

import torch


def word_errors(hypothesis: str, reference: str) -> int:
    """Word-level Levenshtein distance (substitutions + deletions + insertions)."""
    hyp, ref = hypothesis.split(), reference.split()
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def mwer_loss(scores: torch.Tensor, errors: torch.Tensor,
              valid: torch.Tensor | None = None) -> torch.Tensor:
    """Per-utterance MWER loss ``sum_i P^(y_i|x) (W(y_i, y*) - W^)``.

    Args:
        scores (Tensor): [B, N] log-scores s_i of the hypotheses (any additive constant).
        errors (Tensor): [B, N] word errors of each hypothesis.
        valid (Tensor, optional): [B, N] bool; invalid entries (a list shorter than N) take
            no part. Defaults to all valid.

    Returns:
        Tensor: [B] losses (0 for a list of one hypothesis).
    """
    if valid is None:
        valid = torch.ones_like(errors, dtype=torch.bool)
    posterior = torch.softmax(scores.masked_fill(~valid, float('-inf')), dim=-1)
    errors = errors.to(scores.dtype).masked_fill(~valid, 0)
    mean = errors.sum(-1, keepdim=True) / valid.sum(-1, keepdim=True).clamp(min=1)
    return (posterior * (errors - mean)).masked_fill(~valid, 0).sum(-1)
