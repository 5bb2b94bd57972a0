"""Conditional exit, AdaFocusV2+: a budget sweep of early exits, without retraining.

Every step t of :class:`PoolingClassifier` is an exit. A video stops at the first step whose
confidence reaches that step's threshold; the thresholds are fitted on training-set outputs
so that a target fraction of videos exits at each step (MSDNet-style dynamic evaluation).
Sweeping the target distribution p_t ∝ q^t over q gives an accuracy-vs-GFLOPs curve
(official code: ops/early_exit.py, `early_exit`, `dynamic_eval_find_threshold`).

Single-label data (class indices) is scored by top-1 accuracy; multi-label data (multi-hot
targets, ActivityNet / FCVID) by mean average precision over the softmax scores of each
video's exit, as the official ``early_exit`` does (``ops/utils.py``, ``cal_map``), computed
with mmaction2's ``mean_average_precision``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from mmaction.evaluation.functional import mean_average_precision
from torch import Tensor

CONFIDENCES = ('max_logit', 'max_softmax')


def confidence(step_logits: Tensor, kind: str = 'max_logit') -> Tensor:
    """Per-step confidences (N, S) of step logits (N, S, K).

    Args:
        step_logits (Tensor): Logits of every exit.
        kind (str): ``'max_logit'`` (official code: ops/early_exit.py, `confidence`) or
            ``'max_softmax'`` (what the paper presumably uses; unconfirmed, see README,
            'Differences from the paper'). Defaults to ``'max_logit'``.
    """
    if kind == 'max_logit':
        return step_logits.max(-1).values
    if kind == 'max_softmax':
        return step_logits.softmax(-1).max(-1).values
    raise ValueError(f'confidence kind={kind!r} is not one of {CONFIDENCES}.')


def exit_proportions(q: float, num_steps: int) -> Tensor:
    """Target exit fractions p_t ∝ q^t, t = 1..S, normalised.

    As in the official code (ops/early_exit.py, `early_exit`).
    """
    p = torch.tensor([q ** t for t in range(1, num_steps + 1)], dtype=torch.float64)
    return p / p.sum()


def fit_thresholds(conf: Tensor, proportions: Tensor) -> Tensor:
    """Fits one threshold per exit on calibration (training-set) confidences.

    Step by step, among the samples that have not exited yet, the ⌊N p_t⌋ most confident at
    step t exit there; η_t is the confidence of the last one admitted (+inf if none is). The
    last step takes every remaining sample: η_S = -inf (official code: ops/early_exit.py,
    `dynamic_eval_find_threshold`).

    Args:
        conf (Tensor): Confidences (N, S).
        proportions (Tensor): Target exit fractions (S,), summing to 1.

    Returns:
        Tensor: Thresholds (S,).
    """
    n, s = conf.shape
    if proportions.shape != (s,):
        raise ValueError(f'proportions has shape {tuple(proportions.shape)}, expected ({s},).')
    thresholds = torch.full((s,), float('inf'), dtype=conf.dtype)
    thresholds[-1] = -float('inf')
    remaining = torch.ones(n, dtype=torch.bool)
    for t in range(s - 1):
        count = int(np.floor(n * float(proportions[t])))
        candidates = torch.nonzero(remaining).squeeze(1)
        count = min(count, len(candidates))
        if count == 0:
            continue
        order = torch.argsort(conf[candidates, t], descending=True)[:count]
        thresholds[t] = conf[candidates[order[-1]], t]
        remaining[candidates[order]] = False
    return thresholds


def exit_steps(conf: Tensor, thresholds: Tensor) -> Tensor:
    """The exit (0-based step) of each sample: the first t with conf_t ≥ η_t. Returns (N,)."""
    passed = conf >= thresholds
    passed[:, -1] = True
    return passed.float().argmax(1)


def metric_name(labels: Tensor) -> str:
    """``'top1'`` for class indices (N,), ``'mAP'`` for multi-hot targets (N, K)."""
    if labels.dim() == 1:
        return 'top1'
    if labels.dim() == 2:
        return 'mAP'
    raise ValueError(f'labels must be class indices (N,) or multi-hot (N, K), got shape '
                     f'{tuple(labels.shape)}.')


def score(logits: Tensor, labels: Tensor) -> float:
    """Top-1 accuracy (class indices) or mAP (multi-hot targets) of logits (N, K)."""
    if metric_name(labels) == 'top1':
        return float((logits.argmax(-1) == labels).double().mean())
    probs = logits.double().softmax(-1).numpy()
    return float(mean_average_precision(list(probs), list(labels.numpy())))


def evaluate_exits(step_logits: Tensor, labels: Tensor, thresholds: Tensor,
                   cost_per_step: float, kind: str = 'max_logit') -> dict[str, float]:
    """Accuracy (or mAP) and average cost when each sample stops at its exit.

    Args:
        step_logits (Tensor): Logits (N, S, K).
        labels (Tensor): Class indices (N,) or multi-hot targets (N, K).
        thresholds (Tensor): Thresholds (S,) from :func:`fit_thresholds`.
        cost_per_step (float): GFLOPs of one step (the full-length cost / S, as in the
            official code: ops/early_exit.py, `early_exit`).
        kind (str): Confidence kind. Defaults to ``'max_logit'``.

    Returns:
        dict[str, float]: ``top1`` accuracy (or ``mAP``), ``gflops`` average per video and
        ``avg_steps``.
    """
    steps = exit_steps(confidence(step_logits, kind), thresholds)
    exited = step_logits[torch.arange(len(steps)), steps]
    return {metric_name(labels): score(exited, labels),
            'gflops': float((steps + 1).double().mean()) * cost_per_step,
            'avg_steps': float((steps + 1).double().mean())}


def exit_curve(calib_logits: Tensor, eval_logits: Tensor, eval_labels: Tensor,
               cost_per_step: float, qs: Sequence[float] | None = None,
               kind: str = 'max_logit') -> list[dict[str, float]]:
    """The accuracy-vs-GFLOPs curve of conditional exit over a sweep of q.

    Args:
        calib_logits (Tensor): Training-set step logits (N_c, S, K), to fit thresholds.
        eval_logits (Tensor): Evaluation step logits (N, S, K).
        eval_labels (Tensor): Evaluation labels (N,) or multi-hot targets (N, K).
        cost_per_step (float): GFLOPs per step.
        qs (Sequence[float] | None): Values of q. Defaults to 0.5, 0.6, ..., 3.9 (official).
        kind (str): Confidence kind. Defaults to ``'max_logit'``.

    Returns:
        list[dict[str, float]]: One point per q: ``q``, ``top1`` (or ``mAP``), ``gflops`` and
        ``avg_steps`` on the evaluation data, ``calib_gflops``, the expected cost on the
        calibration data (what a budget is matched against, :func:`choose_for_budget`), and
        the ``thresholds`` (S,).
    """
    qs = np.round(np.arange(0.5, 4.0, 0.1), 2) if qs is None else qs
    calib_conf = confidence(calib_logits, kind)
    points = []
    for q in qs:
        thresholds = fit_thresholds(calib_conf, exit_proportions(float(q), calib_conf.shape[1]))
        point = evaluate_exits(eval_logits, eval_labels, thresholds, cost_per_step, kind)
        calib_steps = exit_steps(calib_conf, thresholds) + 1
        point['calib_gflops'] = float(calib_steps.double().mean()) * cost_per_step
        point['thresholds'] = thresholds.tolist()
        points.append(dict(q=float(q), **point))
    return points


def choose_for_budget(points: list[dict[str, float]], budget: float) -> dict | None:
    """The operating point for a GFLOPs budget, chosen without the evaluation labels.

    The method fits the thresholds so that the expected cost on the calibration (training)
    data meets the budget: the point of largest calibration cost within it (more steps buy
    accuracy), whatever its accuracy on the evaluation data. None if no point is that cheap.
    """
    within = [p for p in points if p['calib_gflops'] <= budget]
    return max(within, key=lambda p: (p['calib_gflops'], -p['q'])) if within else None


def cheapest_at_accuracy(points: list[dict[str, float]], top1: float,
                         key: str = 'top1') -> dict | None:
    """The lowest-GFLOPs point of a curve whose ``key`` metric reaches ``top1``, or None."""
    reaching = [p for p in points if p[key] >= top1]
    return min(reaching, key=lambda p: p['gflops']) if reaching else None


def plot_exit_curve(points: list[dict[str, float]], fixed: dict[str, float], path: str) -> None:
    """Saves the accuracy-vs-GFLOPs curve, with the fixed-length model as a star.

    Args:
        points (list[dict[str, float]]): Output of :func:`exit_curve`.
        fixed (dict[str, float]): ``top1`` (or ``mAP``) and ``gflops`` of the model using
            every step.
        path (str): Image file to write.
    """
    key = 'mAP' if 'mAP' in fixed else 'top1'
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot([p['gflops'] for p in points], [100 * p[key] for p in points], 'o-',
            label='AdaFocusV2+ (conditional exit)')
    ax.plot([fixed['gflops']], [100 * fixed[key]], 'r*', markersize=12,
            label='AdaFocusV2 (all steps)')
    ax.set_xlabel('GFLOPs per video')
    ax.set_ylabel('mAP (%)' if key == 'mAP' else 'top-1 (%)')
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
