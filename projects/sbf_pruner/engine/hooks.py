"""Training hook of SbF-Pruner: when the global-budget mask starts (paper, Sec. 2.2-2.3)."""
from __future__ import annotations

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmpretrain.registry import HOOKS


@HOOKS.register_module()
class SbFBudgetHook(Hook):
    """Switches on :class:`~..models.SbFPruner`'s global-budget mask from ``begin_epoch``.

    Before that epoch the gates are the soft scores S_l alone, so every filter can still earn
    its place; from it on, the filters outside the parameter budget are hard-masked during
    training as well, and the network adapts to the pruned architecture it will be extracted
    to. When the mask starts is UNCONFIRMED (see README, 'Choices for what the paper leaves
    open', row 4).

    Args:
        begin_epoch (int): First epoch (0-based) trained with the mask. Defaults to 0.
    """

    priority = 'NORMAL'

    def __init__(self, begin_epoch: int = 0) -> None:
        self.begin_epoch = begin_epoch

    def before_train_epoch(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if model.param_budget is None:
            raise ValueError('SbFBudgetHook needs a model with `param_budget` set.')
        model.budget_mask_enabled = runner.epoch >= self.begin_epoch
