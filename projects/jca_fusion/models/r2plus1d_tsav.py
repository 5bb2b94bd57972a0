"""The R(2+1)D-18 of the official visual stream: torchvision's ``r2plus1d_18`` layout.

The official T-BIOM code (``models/tsav.py``, ``VideoModel``, from Kuhnke et al.'s TSAV) uses
torchvision's R(2+1)D-18, whose stem and mid-channel rule differ from mmaction2's
``ResNet2Plus1d``: a (1x7x7) conv to 45 channels then a (3x1x1) conv to 64 and no max-pool,
and M_i = ⌊t d² N_{i-1} N_i / (d² N_{i-1} + t N_i)⌋ middle channels in every (2+1)D block
(Tran et al., CVPR 2018, Sec. 3.5). Module names follow torchvision's, so that the official
checkpoints load after a prefix change (``tools/convert_official.py``).
"""
from __future__ import annotations

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import nn


def midplanes(inplanes: int, planes: int) -> int:
    """Middle channels of a (2+1)D conv with as many parameters as the full 3x3x3 conv."""
    return (inplanes * planes * 27) // (inplanes * 9 + 3 * planes)


class Conv2Plus1D(nn.Sequential):
    """(1 x 3 x 3) spatial conv, BN, ReLU, (3 x 1 x 1) temporal conv (no bias)."""

    def __init__(self, inplanes: int, planes: int, mid: int, stride: int = 1) -> None:
        super().__init__(
            nn.Conv3d(inplanes, mid, (1, 3, 3), (1, stride, stride), (0, 1, 1), bias=False),
            nn.BatchNorm3d(mid), nn.ReLU(inplace=True),
            nn.Conv3d(mid, planes, (3, 1, 1), (stride, 1, 1), (1, 0, 0), bias=False))


class BasicBlock2Plus1D(nn.Module):
    """Residual block of two (2+1)D convs; one M_i (from the block's input and output
    widths) serves both, as in torchvision."""

    def __init__(self, inplanes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        mid = midplanes(inplanes, planes)
        self.conv1 = nn.Sequential(Conv2Plus1D(inplanes, planes, mid, stride),
                                   nn.BatchNorm3d(planes), nn.ReLU(inplace=True))
        self.conv2 = nn.Sequential(Conv2Plus1D(planes, planes, mid), nn.BatchNorm3d(planes))
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(
                nn.Conv3d(inplanes, planes, 1, stride=stride, bias=False),
                nn.BatchNorm3d(planes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(self.conv2(self.conv1(x)) + identity)


@MODELS.register_module()
class R2Plus1dTSAV(BaseModule):
    """R(2+1)D-18 laid out as torchvision's ``r2plus1d_18`` (the official TSAV visual stream).

    31.30 M parameters (mmaction2's ``ResNet2Plus1d`` of depth 18 has 33.23 M and a 4x4 map
    for 112² faces where this one gives 7x7). Returns the last feature map, (N, 512, T/8,
    H/16, W/16); pooling is left to the caller (:class:`SegmentEncoder`).

    Args:
        in_channels (int): Input channels; TSAV trained on 4 (RGB + a face mask) and the
            official JCA code keeps the first 3 of the stem's weights. Defaults to 3.
        stage_blocks (tuple[int]): Blocks per stage. Defaults to (2, 2, 2, 2).
        init_cfg (dict | list[dict], optional): Initialisation; defaults to torchvision's
            (Kaiming fan-out for convs, unit-scale batch norm).
    """

    def __init__(self,
                 in_channels: int = 3,
                 stage_blocks: tuple[int, ...] = (2, 2, 2, 2),
                 init_cfg: dict | list[dict] | None = None) -> None:
        super().__init__(init_cfg or [
            dict(type='Kaiming', layer='Conv3d', mode='fan_out', nonlinearity='relu'),
            dict(type='Constant', layer='BatchNorm3d', val=1, bias=0)])
        self.stem = nn.Sequential(
            nn.Conv3d(in_channels, 45, (1, 7, 7), (1, 2, 2), (0, 3, 3), bias=False),
            nn.BatchNorm3d(45), nn.ReLU(inplace=True),
            nn.Conv3d(45, 64, (3, 1, 1), 1, (1, 0, 0), bias=False),
            nn.BatchNorm3d(64), nn.ReLU(inplace=True))
        inplanes = 64
        for i, blocks in enumerate(stage_blocks):
            planes, stride = 64 * 2**i, 1 if i == 0 else 2
            layer = [BasicBlock2Plus1D(inplanes, planes, stride)]
            layer += [BasicBlock2Plus1D(planes, planes) for _ in range(blocks - 1)]
            self.add_module(f'layer{i + 1}', nn.Sequential(*layer))
            inplanes = planes
        self.num_stages = len(stage_blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encodes (N, C, T, H, W) clips into the last stage's feature map."""
        x = self.stem(x)
        for i in range(self.num_stages):
            x = getattr(self, f'layer{i + 1}')(x)
        return x
