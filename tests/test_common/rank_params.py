"""A hook for the multi-process tests: every rank saves its parameters when training ends.

Imported by the test configs through ``custom_imports`` (checkpoints hold rank 0's only).
"""
from __future__ import annotations

import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS


@HOOKS.register_module()
class RankParamsHook(Hook):
    """Saves ``rank<N>_params.pth`` (the model's parameters) in the work dir after training."""

    def after_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        torch.save({name: p.detach().clone() for name, p in model.named_parameters()},
                   osp.join(runner.work_dir, f'rank{get_rank()}_params.pth'))
