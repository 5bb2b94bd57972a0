"""The task prediction heads of MTAN (lorenmt/mtan ``im2im_pred/model_segnet_mtan.py``,
``conv_layer(..., pred=True)`` and the end of ``forward``)."""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional

from ..registry import MODELS

TASKS = ('seg', 'depth', 'normal')


@MODELS.register_module()
class DenseTaskHead(nn.Module):
    """3x3 conv → 1x1 conv (no BN, no activation), then the task's output function:
    log-softmax over classes (``seg``), identity (``depth``), per-pixel L2 normalisation
    (``normal``).

    Args:
        task (str): ``'seg'``, ``'depth'`` or ``'normal'``.
        in_channels (int): Channels of the task feature.
        num_classes (int): Classes of ``seg`` (unused by the other tasks). Defaults to 13.
    """

    def __init__(self, task: str, in_channels: int, num_classes: int = 13) -> None:
        super().__init__()
        if task not in TASKS:
            raise ValueError(f'Unknown task {task!r}; choose from {TASKS}.')
        self.task = task
        out_channels = dict(seg=num_classes, depth=1, normal=3)[task]
        self.conv = nn.Conv2d(in_channels, in_channels, 3, padding=1)
        self.pred = nn.Conv2d(in_channels, out_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, out_channels, H, W) task output."""
        x = self.pred(self.conv(x))
        if self.task == 'seg':
            return functional.log_softmax(x, dim=1)
        if self.task == 'normal':
            # Divided by the norm without epsilon, as the official code.
            return x / torch.norm(x, p=2, dim=1, keepdim=True)
        return x
