"""Batched beam search for HAT with shallow fusion and internal-LM subtraction.

Each label emission is scored ``log P_HAT(y|t,u) + lm_weight * log P_LM(y|y_<u)
- ilm_weight * log P_ILM(y|y_<u) + length_reward`` (HAT paper, internal-LM section; the fused
score of LM-aware MWER, arXiv 2204.07553 abstract); blanks carry the HAT blank log-prob only. The
search is icefall's "modified beam search": at most one label per frame, hypotheses with
the same label sequence merged by log-add, all utterances of a batch expanded together as
tensors (``B x K`` hypotheses); only the merge of the top ``2K`` candidates per utterance is
Python.
"""
from __future__ import annotations

import math

import torch

from .lm import merge_lm_state


def _select_state(state, index: torch.Tensor):
    h, c = state
    return h[:, index], c[:, index]


@torch.no_grad()
def beam_search(enc: torch.Tensor, enc_lengths: torch.Tensor, prediction, joint,
                beam: int = 4, lm=None, lm_weight: float = 0.0, ilm_weight: float = 0.0,
                length_reward: float = 0.0) -> list[list[tuple[list[int], float]]]:
    """N-best label sequences per utterance, best first.

    Args:
        enc (Tensor): [B, T, E] encoder outputs.
        enc_lengths (Tensor): [B] valid frames.
        prediction (PredictionNetwork): The prediction network.
        joint (HATJoint): The joint network.
        beam (int): Hypotheses kept per utterance (also the N of the N-best).
        lm (nn.Module, optional): External LM (see :mod:`.lm`); used when ``lm_weight``.
        lm_weight (float): lambda.
        ilm_weight (float): beta.
        length_reward (float): Added per label.

    Returns:
        list: per utterance, up to ``beam`` ``(labels, fused score)`` pairs.
    """
    b, t_max, _ = enc.shape
    k = beam
    n = b * k
    device = enc.device
    use_lm = lm is not None and lm_weight != 0
    scores = torch.full((b, k), -math.inf, device=device)
    scores[:, 0] = 0
    seqs: list[list[int]] = [[] for _ in range(n)]
    pred_out, pred_state = prediction.initial(n, device)
    lm_state = lm.init_state(n) if use_lm else None
    for t in range(t_max):
        label_logp, blank_logp = joint.step(enc[:, t].repeat_interleave(k, 0), pred_out)
        v = label_logp.shape[-1]
        label_scores = label_logp + length_reward
        if use_lm:
            label_scores = label_scores + lm_weight * lm.next_logprobs(lm_state)[:, :v]
        if ilm_weight:
            label_scores = label_scores - ilm_weight * joint.ilm_logprobs(pred_out)
        active = (t < enc_lengths).repeat_interleave(k)
        blank_scores = torch.where(active, blank_logp, torch.zeros_like(blank_logp))
        label_scores = label_scores.masked_fill(~active[:, None], -math.inf)
        cand = scores[..., None] + torch.cat([blank_scores[:, None], label_scores], 1).view(
            b, k, v + 1)
        top_scores, top_index = cand.view(b, -1).topk(min(2 * k, k * (v + 1)), dim=1)
        parents, labels, new_scores, new_seqs = [], [], [], []
        for i, (row_s, row_i) in enumerate(zip(top_scores.tolist(), top_index.tolist(),
                                               strict=True)):
            kept: dict[tuple, int] = {}
            entries = []
            for s, flat in zip(row_s, row_i, strict=True):
                if s == -math.inf:
                    continue
                parent, label = divmod(flat, v + 1)
                seq = seqs[i * k + parent] + ([label - 1] if label else [])
                key = tuple(seq)
                if key in kept:
                    j = kept[key]
                    entries[j][2] = float(torch.logaddexp(torch.tensor(entries[j][2]),
                                                          torch.tensor(s)))
                elif len(entries) < k:
                    kept[key] = len(entries)
                    entries.append([parent, label - 1, s, seq])
            while len(entries) < k:
                entries.append([0, -1, -math.inf, list(seqs[i * k])])
            for parent, label, s, seq in entries:
                parents.append(i * k + parent)
                labels.append(label)
                new_scores.append(s)
                new_seqs.append(seq)
        index = torch.tensor(parents, device=device)
        labels_t = torch.tensor(labels, device=device)
        emitted = labels_t >= 0
        scores = torch.tensor(new_scores, device=device).view(b, k)
        seqs = new_seqs
        pred_out, pred_state = pred_out[index], _select_state(pred_state, index)
        if emitted.any():
            step_out, step_state = prediction.step(labels_t.clamp(min=0), pred_state)
            pred_out = torch.where(emitted[:, None], step_out, pred_out)
            pred_state = tuple(torch.where(emitted[None, :, None], s_new, s_old)
                               for s_new, s_old in zip(step_state, pred_state, strict=True))
        if use_lm:
            lm_state = lm.select(lm_state, index)
            if emitted.any():
                lm_state = merge_lm_state(lm, emitted, lm.advance(lm_state,
                                                                  labels_t.clamp(min=0)),
                                          lm_state)
    out = []
    for i in range(b):
        row = [(seqs[i * k + j], float(scores[i, j])) for j in range(k)
               if scores[i, j] > -math.inf]
        row.sort(key=lambda x: -x[1])
        out.append(row)
    return out
