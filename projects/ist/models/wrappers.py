"""A model wrapper for distributed runs that must not synchronise gradients (IST, local SGD).

mmengine wraps every model of a distributed run in ``MMDistributedDataParallel``, whose
backward all-reduces gradients. IST's subnets and local SGD's replicas train independently
between synchronisations, so their configs set
``model_wrapper_cfg=dict(type='ist.NoSyncWrapper')``.
"""
from __future__ import annotations

from mmengine.model import BaseModel
from torch import nn

from ..registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class NoSyncWrapper(nn.Module):
    """Holds ``module`` and forwards the runner's step calls to it unchanged.

    Args:
        module (BaseModel): The model.
        **kwargs: Accepted and ignored, so that DDP options in a base config do no harm.
    """

    def __init__(self, module: BaseModel, **kwargs) -> None:
        super().__init__()
        self.module = module

    def train_step(self, data, optim_wrapper):
        return self.module.train_step(data, optim_wrapper)

    def val_step(self, data):
        return self.module.val_step(data)

    def test_step(self, data):
        return self.module.test_step(data)

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)
