"""Task losses and the robust-training objectives' output distances.

Every function returns the loss summed over the batch when ``reduction='sum'`` (what the
attacks maximise) and averaged over it when ``reduction='mean'`` (what training minimises).
"""
from __future__ import annotations

import torch
from torch import Tensor
from torch.nn import functional as F  # noqa: N812

TASKS = ('classification', 'regression')
REGRESSION_LOSSES = ('mse', 'l1')


def task_loss(outputs: Tensor, target: Tensor, task: str, regression_loss: str = 'mse',
              reduction: str = 'mean') -> Tensor:
    """Cross-entropy of logits (classification) or MSE / L1 of regressed values.

    Args:
        outputs (Tensor): Logits (N, C) or values (N, D).
        target (Tensor): Class indices (N,) or values (N, D).
        task (str): ``'classification'`` or ``'regression'``.
        regression_loss (str): ``'mse'`` or ``'l1'``. Defaults to ``'mse'``.
        reduction (str): ``'mean'`` or ``'sum'`` over samples. Defaults to ``'mean'``.
    """
    if task == 'classification':
        return F.cross_entropy(outputs, target, reduction=reduction)
    per_sample = ((outputs - target)**2 if regression_loss == 'mse' else
                  (outputs - target).abs()).flatten(1).sum(1)
    return per_sample.sum() if reduction == 'sum' else per_sample.mean()


def output_distance(clean: Tensor, adv: Tensor, task: str, reduction: str = 'mean') -> Tensor:
    """TRADES' boundary term D(f(x), f(x')) (Zhang et al., 2019, Eq. 5).

    Classification: KL(softmax(f(x)) || softmax(f(x'))). Regression: the squared Euclidean
    distance of the outputs, our choice for a regressor (the paper defines D for classifiers).
    """
    if task == 'classification':
        per_sample = F.kl_div(F.log_softmax(adv, dim=1), F.softmax(clean, dim=1),
                              reduction='none').sum(1)
    else:
        per_sample = ((clean - adv)**2).flatten(1).sum(1)
    return per_sample.sum() if reduction == 'sum' else per_sample.mean()


def mart_loss(clean: Tensor, adv: Tensor, target: Tensor, lam: float) -> tuple[Tensor, Tensor]:
    """MART (Wang et al., ICLR 2020, Eq. 9): boosted cross-entropy on the adversarial
    example, and a KL term weighted by how badly the clean example is classified.

    Returns:
        tuple[Tensor, Tensor]: ``BCE(p(x'), y)`` and
        ``lam * KL(p(x) || p(x')) * (1 - p_y(x))``, both averaged over the batch.
    """
    probs_adv = F.softmax(adv, dim=1)
    others = probs_adv.masked_fill(F.one_hot(target, adv.shape[1]).bool(), 0.0)
    # Boosted CE: the usual CE plus a margin term on the strongest wrong class.
    bce = F.cross_entropy(adv, target) - torch.log(
        (1.0 - others.max(dim=1).values).clamp_min(1e-12)).mean()
    probs_clean = F.softmax(clean, dim=1)
    kl = F.kl_div(F.log_softmax(adv, dim=1), probs_clean, reduction='none').sum(1)
    true_prob = probs_clean.gather(1, target[:, None]).squeeze(1)
    return bce, lam * (kl * (1.0 - true_prob)).mean()
