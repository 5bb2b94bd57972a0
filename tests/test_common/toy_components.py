"""Small components for the resume and multi-process tests, registered in mmengine's root
registries so that a config run by tools/train.py can name them (``custom_imports``)."""
from __future__ import annotations

import os.path as osp
import random
import time

import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import BaseModel, is_model_wrapper
from mmengine.registry import DATASETS, HOOKS, MODELS
from torch import nn
from torch.utils.data import Dataset


@DATASETS.register_module()
class NoisyDataset(Dataset):
    """16 samples augmented with all three generators, as data pipelines draw them."""

    def __len__(self) -> int:
        return 16

    def __getitem__(self, index: int) -> dict:
        noise = torch.randn(4) + float(np.random.rand()) + random.random()
        return dict(inputs=torch.full((4,), index / 16) + 0.1 * noise,
                    data_samples=torch.tensor(float(index % 2)))


@MODELS.register_module()
class DropoutRegressor(BaseModel):
    """A regressor with dropout, so that the model's own random draws matter too.

    Args:
        seconds_per_step (float): Sleep in every training forward, so that a test can stop
            the run between two iterations. Defaults to 0.
    """

    def __init__(self, seconds_per_step: float = 0.) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 16), nn.Dropout(0.5), nn.Linear(16, 1))
        self.seconds_per_step = seconds_per_step

    def forward(self, inputs, data_samples=None, mode: str = 'tensor'):
        out = self.net(inputs).squeeze(1)
        if mode == 'loss':
            time.sleep(self.seconds_per_step)
            return dict(loss=((out - data_samples) ** 2).mean())
        return out


@HOOKS.register_module()
class RankParamsHook(Hook):
    """Saves ``rank<N>_params.pth`` (the model's parameters) in the work dir after training;
    checkpoints hold rank 0's only."""

    def after_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        torch.save({name: p.detach().clone() for name, p in model.named_parameters()},
                   osp.join(runner.work_dir, f'rank{get_rank()}_params.pth'))
