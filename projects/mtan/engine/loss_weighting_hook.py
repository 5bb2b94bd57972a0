"""Applies a :class:`~.loss_weighting.LossWeighting` to any model's losses during training."""
from __future__ import annotations

import copy

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch import nn

from ..registry import HOOKS, MODELS


@HOOKS.register_module()
class LossWeightingHook(Hook):
    """Weights the task losses of the runner's model, whatever the model.

    Why a hook with a PyTorch forward hook: mmengine's ``train_step`` sums every ``loss*``
    entry of ``model(**data, mode='loss')`` in ``parse_losses``; a forward hook on the model
    rewrites that dict (each task loss times its weight) before the sum, so models stay
    unchanged (MTAN's, a jca_fusion regressor, an mmaction2 recogniser) and no optimizer
    wrapper or model wrapper has to be swapped. The hook also sees each iteration's
    unweighted losses, which Dynamic Weight Average averages per epoch, and it owns the
    learnable log-variances of uncertainty weighting, which it adds to the runner's optimizer
    as one more parameter group (same optimizer and learning rate as the model, as the official
    trainer) and keeps in the checkpoint under ``loss_weighting``.

    The weights are logged as ``weight_<task>`` (``loss_`` dropped from the key, so that
    ``parse_losses`` does not add them to the loss).

    Args:
        weighting (dict): An ``EqualWeighting``, ``DynamicWeightAverage`` or
            ``UncertaintyWeighting`` config (registered in the ``mtan`` scope). Defaults to
            ``dict(type='DynamicWeightAverage')``.

    Note:
        Dynamic Weight Average updates its weights at epoch boundaries: use an epoch-based
        train loop. Under distributed training the log-variances of uncertainty weighting are
        not wrapped by DDP, so their gradients are not averaged over ranks.
    """

    priority = 'NORMAL'

    def __init__(self, weighting: dict | None = None) -> None:
        cfg = dict(weighting or dict(type='DynamicWeightAverage'))
        # Built in the mtan scope whatever the runner's default scope (mmaction, mmpretrain).
        cfg.setdefault('_scope_', 'mtan')
        self.weighting = MODELS.build(cfg)
        self._handle = None

    @staticmethod
    def _model(runner) -> nn.Module:
        return runner.model.module if is_model_wrapper(runner.model) else runner.model

    def before_run(self, runner) -> None:
        model = self._model(runner)
        param = next(model.parameters(), None)
        if param is not None:
            self.weighting.to(param.device)
        params = list(self.weighting.parameters())
        # Only a training run has a built optimizer (a test run keeps the config dict).
        if params and isinstance(runner.optim_wrapper, OptimWrapperDict):
            raise TypeError(f'{type(self.weighting).__name__} has parameters to train but the '
                            'runner has an OptimWrapperDict; use a single OptimWrapper.')
        if params and isinstance(runner.optim_wrapper, OptimWrapper):
            optimizer = runner.optim_wrapper.optimizer
            known = {id(p) for group in optimizer.param_groups for p in group['params']}
            if not known & {id(p) for p in params}:
                optimizer.add_param_group(dict(params=params))
        if self._handle is None:
            self._handle = model.register_forward_hook(self._weigh, with_kwargs=True)

    def _weigh(self, module: nn.Module, args: tuple, kwargs: dict, output):
        """Forward hook: the weighted loss dict in training, the output unchanged otherwise."""
        mode = kwargs.get('mode', args[2] if len(args) > 2 else None)
        if not (module.training and mode == 'loss' and isinstance(output, dict)):
            return None
        self.weighting.record(output)
        return self.weighting(output)

    def before_train_epoch(self, runner) -> None:
        self.weighting.start_epoch(runner.epoch)

    def after_train_epoch(self, runner) -> None:
        self.weighting.end_epoch()

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        for key, weight in self.weighting.weights().items():
            name = key[5:] if key.startswith('loss_') else key.replace('loss', 'l')
            runner.message_hub.update_scalar(f'train/weight_{name}', weight)

    def after_run(self, runner) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        # A copy: the checkpoint must not change with the training that goes on.
        checkpoint['loss_weighting'] = copy.deepcopy(self.weighting.state_dict())

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if 'loss_weighting' in checkpoint:
            self.weighting.load_state_dict(checkpoint['loss_weighting'])
