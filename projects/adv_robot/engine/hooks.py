"""The ε and κ ramps of robust training."""
from __future__ import annotations

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmpretrain.registry import HOOKS


@HOOKS.register_module()
class RobustScheduleHook(Hook):
    """Ramps the training ε from 0 to the attack's ε, and IBP's κ from 1 to its final
    value, linearly over ``ramp_iters`` after ``warmup_iters`` nominal iterations
    (Gowal et al., 2018, Sec. 4: IBP diverges when trained at the full ε from the start).

    Args:
        warmup_iters (int): Iterations at ε = 0, κ = 1. Defaults to 0.
        ramp_iters (int): Iterations of the linear ramp. Defaults to 100.
    """

    priority = 'NORMAL'

    def __init__(self, warmup_iters: int = 0, ramp_iters: int = 100) -> None:
        if warmup_iters < 0 or ramp_iters < 0:
            raise ValueError('RobustScheduleHook needs warmup_iters >= 0 and ramp_iters >= 0, '
                             f'got {warmup_iters}, {ramp_iters}.')
        self.warmup_iters = warmup_iters
        self.ramp_iters = ramp_iters

    def progress(self, iteration: int) -> float:
        """Fraction of the ramp done at ``iteration`` (0 before, 1 after)."""
        if iteration < self.warmup_iters:
            return 0.0
        if self.ramp_iters == 0:
            return 1.0
        return min(1.0, (iteration - self.warmup_iters) / self.ramp_iters)

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        done = self.progress(runner.iter)
        model.eps_scale = done
        model.kappa = 1.0 - done * (1.0 - model.final_kappa)
