"""Task loss weighting for any multi-loss model: equal, Dynamic Weight Average, uncertainty.

MTAN's paper weights the task losses with Dynamic Weight Average (Liu et al., CVPR 2019,
Sec. 3.2, Eq. 7) and compares with equal weights and the uncertainty weighting of Kendall et
al. (CVPR 2018); the official trainer (lorenmt/mtan ``im2im_pred/utils.py``,
``multi_task_trainer``) implements all three. Here they are strategies that act on a model's
loss dict (the ``loss_*`` entries of an mmengine model's ``forward(mode='loss')``), applied by
:class:`~.loss_weighting_hook.LossWeightingHook`, so that no model needs to know about them.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from ..registry import MODELS

LossDict = dict[str, torch.Tensor]


def total(value) -> torch.Tensor:
    """A loss entry as one tensor: lists (e.g. one loss per level) are summed, tensors
    averaged, as mmengine's ``BaseModel.parse_losses`` does."""
    if isinstance(value, torch.Tensor):
        return value.mean()
    return sum(v.mean() for v in value)


class LossWeighting(nn.Module):
    """Base class: weights the loss entries of a loss dict.

    Entries whose key contains ``'loss'`` and whose value is a tensor (or a list of tensors)
    are the tasks, unless ``loss_keys`` names them; other entries pass unchanged.

    Args:
        loss_keys (Sequence[str], optional): The task losses, in a fixed order. Defaults to
            None (found in the first loss dict).
    """

    def __init__(self, loss_keys: Sequence[str] | None = None) -> None:
        super().__init__()
        self.loss_keys = list(loss_keys) if loss_keys else None

    def task_keys(self, losses: LossDict) -> list[str]:
        """The task keys of ``losses``; raises if one of ``loss_keys`` is missing."""
        if self.loss_keys is None:
            self.loss_keys = [k for k, v in losses.items() if 'loss' in k and (
                isinstance(v, torch.Tensor) or isinstance(v, (list, tuple)) and v)]
        missing = [k for k in self.loss_keys if k not in losses]
        if missing:
            raise KeyError(f'Loss weighting: the model returned {sorted(losses)}, without '
                           f'{missing}; set `loss_keys` of the weighting to its task losses.')
        return self.loss_keys

    def weights(self) -> dict[str, float]:
        """The current weight of each task loss (for logging)."""
        return {k: 1.0 for k in self.loss_keys or ()}

    def forward(self, losses: LossDict) -> LossDict:
        """A new loss dict: each task loss times its weight."""
        keys = self.task_keys(losses)
        weights = self.weights()
        return {k: total(v) * weights[k] if k in keys else v for k, v in losses.items()}

    def record(self, losses: LossDict) -> None:
        """Called with every training iteration's unweighted losses."""

    def start_epoch(self, epoch: int) -> None:
        """Called before each training epoch (0-based ``epoch``)."""

    def end_epoch(self) -> None:
        """Called after each training epoch."""


@MODELS.register_module()
class EqualWeighting(LossWeighting):
    """Every task loss with weight 1 (the paper's "Equal Weighting")."""


@MODELS.register_module()
class DynamicWeightAverage(LossWeighting):
    """Dynamic Weight Average (paper Eq. 7).

    ``λ_k(t) = K exp(w_k(t-1) / T) / Σ_i exp(w_i(t-1) / T)`` with
    ``w_k(t-1) = L_k(t-1) / L_k(t-2)``, where ``L_k(t)`` is the average of task ``k``'s
    unweighted training loss over the iterations of epoch ``t``; ``λ_k = 1`` in the first two
    epochs. The weights sum to ``K`` and stay fixed within an epoch.

    Args:
        temperature (float): ``T``; larger is softer. Defaults to 2.0 (the paper's choice).
        loss_keys (Sequence[str], optional): See :class:`LossWeighting`.
    """

    def __init__(self, temperature: float = 2.0,
                 loss_keys: Sequence[str] | None = None) -> None:
        super().__init__(loss_keys)
        if temperature <= 0:
            raise ValueError(f'DynamicWeightAverage: temperature={temperature} must be > 0.')
        self.temperature = temperature
        self.history: list[dict[str, float]] = []  # epoch-average losses of finished epochs
        self._sums: dict[str, float] = {}
        self._count = 0
        self._weights: dict[str, float] | None = None

    def record(self, losses: LossDict) -> None:
        for k in self.task_keys(losses):
            self._sums[k] = self._sums.get(k, 0.0) + float(total(losses[k]).detach())
        self._count += 1

    def end_epoch(self) -> None:
        if self._count:
            self.history.append({k: v / self._count for k, v in self._sums.items()})
        self._sums, self._count = {}, 0

    def start_epoch(self, epoch: int) -> None:
        self._weights = self.compute_weights(self.history, self.temperature)

    @staticmethod
    def compute_weights(history: list[dict[str, float]],
                        temperature: float) -> dict[str, float] | None:
        """The weights from the epoch averages so far (None: all 1, fewer than two epochs)."""
        if len(history) < 2:
            return None
        prev, prev2 = history[-1], history[-2]
        ratios = {k: prev[k] / prev2[k] for k in prev}
        top = max(ratios.values())  # subtracted for a stable softmax; it cancels out
        exps = {k: math.exp((r - top) / temperature) for k, r in ratios.items()}
        norm = sum(exps.values())
        return {k: len(exps) * e / norm for k, e in exps.items()}

    def weights(self) -> dict[str, float]:
        if self._weights is None:
            return super().weights()
        return self._weights

    def get_extra_state(self) -> dict:
        return dict(history=self.history, weights=self._weights)

    def set_extra_state(self, state: dict) -> None:
        self.history = [dict(h) for h in state['history']]
        self._weights = state['weights']


@MODELS.register_module()
class UncertaintyWeighting(LossWeighting):
    """Homoscedastic uncertainty weighting (Kendall et al., CVPR 2018), as the official MTAN
    trainer codes it: ``Σ_k L_k / (2 exp(s_k)) + s_k / 2`` with learnable ``s_k = log σ_k²``
    (``logsigma``, initialised to -0.5).

    The log-variances are parameters of this module; :class:`LossWeightingHook` adds them to
    the runner's optimizer, so the model needs none.

    Args:
        loss_keys (Sequence[str]): The task losses (required: the parameters exist before the
            first iteration).
        init (float): Initial ``s_k``. Defaults to -0.5.
    """

    def __init__(self, loss_keys: Sequence[str], init: float = -0.5) -> None:
        if not loss_keys:
            raise ValueError('UncertaintyWeighting needs `loss_keys` (e.g. '
                             "['loss_seg', 'loss_depth']): its log-variances must exist "
                             'before the optimizer is built.')
        super().__init__(loss_keys)
        self.log_vars = nn.Parameter(torch.full((len(loss_keys),), float(init)))

    def weights(self) -> dict[str, float]:
        scales = 0.5 * torch.exp(-self.log_vars.detach())
        return {k: float(s) for k, s in zip(self.loss_keys, scales, strict=True)}

    def forward(self, losses: LossDict) -> LossDict:
        keys = self.task_keys(losses)
        out = dict(losses)
        for k, s in zip(keys, self.log_vars, strict=True):
            out[k] = total(losses[k]) / (2 * torch.exp(s)) + s / 2
        return out
