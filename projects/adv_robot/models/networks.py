"""Small convolutional policies and the regression head (mmpretrain components).

``ConvNet`` is a PilotNet-style stack (Bojarski et al., 2016): strided convolutions, a coarse
average pooling that keeps the spatial layout (where the lane is matters for steering), and
fully connected layers. It uses only convolutions, ReLUs, average pooling and linear layers,
so interval bound propagation (Gowal et al., 2018) applies to it exactly.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample
from torch import Tensor, nn
from torch.nn import functional as F  # noqa: N812


@MODELS.register_module()
class ConvNet(BaseModule):
    """Convolutions with ReLU, adaptive average pooling, then linear layers with ReLU.

    Args:
        in_channels (int): Image channels. Defaults to 1 (a greyscale camera).
        channels (Sequence[int]): Output channels of the convolutions. Defaults to
            ``(16, 32, 32)``.
        kernel_sizes (Sequence[int]): Kernel size per convolution. Defaults to ``(5, 5, 3)``.
        strides (Sequence[int]): Stride per convolution. Defaults to ``(2, 2, 2)``.
        pool_size (int): Side of the pooled feature map that is flattened. Defaults to 4.
        fc_channels (Sequence[int]): Widths of the linear layers after flattening.
            Defaults to ``(64, )``.
        init_cfg (dict | list, optional): Initialisation. Defaults to Kaiming for
            convolutions and linear layers.
    """

    def __init__(self,
                 in_channels: int = 1,
                 channels: Sequence[int] = (16, 32, 32),
                 kernel_sizes: Sequence[int] = (5, 5, 3),
                 strides: Sequence[int] = (2, 2, 2),
                 pool_size: int = 4,
                 fc_channels: Sequence[int] = (64, ),
                 init_cfg: dict | list | None = None) -> None:
        if not len(channels) == len(kernel_sizes) == len(strides):
            raise ValueError('ConvNet `channels`, `kernel_sizes` and `strides` need one entry '
                             f'per convolution, got {channels}, {kernel_sizes}, {strides}.')
        super().__init__(init_cfg=init_cfg or [
            dict(type='Kaiming', layer=['Conv2d', 'Linear'], nonlinearity='relu')
        ])
        layers: list[nn.Module] = []
        for out, kernel, stride in zip(channels, kernel_sizes, strides, strict=True):
            layers += [nn.Conv2d(in_channels, out, kernel, stride, kernel // 2), nn.ReLU()]
            in_channels = out
        layers += [nn.AdaptiveAvgPool2d(pool_size), nn.Flatten()]
        width = in_channels * pool_size * pool_size
        for out in fc_channels:
            layers += [nn.Linear(width, out), nn.ReLU()]
            width = out
        self.layers = nn.Sequential(*layers)
        self.out_channels = width

    def forward(self, x: Tensor) -> tuple[Tensor]:
        """Returns a one-tuple of features (N, out_channels), as mmpretrain backbones do."""
        return (self.layers(x), )


@MODELS.register_module()
class RegressionHead(BaseModule):
    """A linear head that regresses continuous targets (e.g. a steering command).

    Used as the ``head`` of mmpretrain's ``ImageClassifier``: training reads ``gt_value``
    (D,) from each data sample, prediction writes ``pred_value`` (D,).

    Args:
        in_channels (int): Feature width.
        out_channels (int): Regressed values per sample. Defaults to 1.
        loss (str): ``'mse'`` or ``'l1'``. Defaults to ``'mse'``.
        init_cfg (dict, optional): Initialisation. Defaults to a small normal init.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int = 1,
                 loss: str = 'mse',
                 init_cfg: dict | None = None) -> None:
        if loss not in ('mse', 'l1'):
            raise ValueError(f"RegressionHead `loss` must be 'mse' or 'l1', got {loss!r}.")
        super().__init__(init_cfg=init_cfg or dict(type='Normal', layer='Linear', std=0.01))
        self.fc = nn.Linear(in_channels, out_channels)
        self.loss_type = loss

    def forward(self, feats: tuple[Tensor]) -> Tensor:
        """Regressed values (N, out_channels) from the last feature map."""
        return self.fc(feats[-1])

    def loss(self, feats: tuple[Tensor], data_samples: list[DataSample]) -> dict:
        """MSE or L1 against the samples' ``gt_value``."""
        pred = self(feats)
        target = torch.stack([s.gt_value for s in data_samples]).to(pred)
        fn = F.mse_loss if self.loss_type == 'mse' else F.l1_loss
        return dict(loss=fn(pred, target))

    def predict(self, feats: tuple[Tensor],
                data_samples: list[DataSample] | None = None) -> list[DataSample]:
        """Data samples with ``pred_value`` set (new ones when none are given)."""
        pred = self(feats).detach()
        if data_samples is None:
            data_samples = [DataSample() for _ in range(pred.shape[0])]
        for sample, value in zip(data_samples, pred, strict=True):
            sample.set_field(value, 'pred_value')
        return data_samples
