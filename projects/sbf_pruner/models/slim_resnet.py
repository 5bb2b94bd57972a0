"""``SlimResNet``: a ResNet whose every layer width is explicit, the target of extraction."""
from __future__ import annotations

from collections.abc import Sequence

import torch
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS
from torch import nn


def _conv(cin: int, cout: int, kernel: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False)


class SlimBlock(BaseModule):
    """A residual block (basic: 3x3-3x3; bottleneck: 1x1-3x3-1x1) with explicit widths.

    Module names (``conv1``, ``bn1``, ..., ``downsample.0/1``) are those of mmpretrain's
    ``BasicBlock``/``Bottleneck``, so their state dicts map one to one; the stride sits in the
    3x3 convolution (mmpretrain's ``style='pytorch'``).

    Args:
        in_channels (int): Input width.
        mid_channels (Sequence[int]): Widths of the inner convolutions (1 for a basic block,
            2 for a bottleneck).
        out_channels (int): Output width (the residual stream's).
        stride (int): Stride of the block. Defaults to 1.
        downsample (bool): Whether the shortcut is a 1x1 convolution and a norm layer.
            Defaults to False.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
    """

    def __init__(self,
                 in_channels: int,
                 mid_channels: Sequence[int],
                 out_channels: int,
                 stride: int = 1,
                 downsample: bool = False,
                 norm_cfg: dict | None = None) -> None:
        super().__init__()
        norm_cfg = norm_cfg or dict(type='BN')
        widths = [in_channels, *mid_channels, out_channels]
        if len(mid_channels) == 1:
            kernels, strides = (3, 3), (stride, 1)
        elif len(mid_channels) == 2:
            kernels, strides = (1, 3, 1), (1, stride, 1)
        else:
            raise ValueError(f'A block has 1 (basic) or 2 (bottleneck) inner widths, got '
                             f'{list(mid_channels)}.')
        self.num_convs = len(kernels)
        self.norm_names = []
        for i, (kernel, s) in enumerate(zip(kernels, strides, strict=True), start=1):
            self.add_module(f'conv{i}', _conv(widths[i - 1], widths[i], kernel, s))
            name, norm = build_norm_layer(norm_cfg, widths[i], postfix=i)
            self.add_module(name, norm)
            self.norm_names.append(name)
        self.downsample = nn.Sequential(
            _conv(in_channels, out_channels, 1, stride),
            build_norm_layer(norm_cfg, out_channels)[1]) if downsample else None
        self.relu = nn.ReLU(inplace=True)

    def norm(self, i: int) -> nn.Module:
        """The norm layer after ``conv{i}``."""
        return getattr(self, self.norm_names[i - 1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x
        for i in range(1, self.num_convs + 1):
            out = self.norm(i)(getattr(self, f'conv{i}')(out))
            if i < self.num_convs:
                out = self.relu(out)
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


@MODELS.register_module()
class SlimResNet(BaseBackbone):
    """A ResNet with explicit per-layer widths (what SbF-Pruner extraction writes).

    ``arch`` fixes the structure (block type, blocks per stage, stem, which blocks have a
    projection shortcut); ``widths`` overrides the channel counts, which after pruning
    differ from layer to layer. Without ``widths`` it is the dense network: ``cifar20/56/110``
    are He et al.'s CIFAR ResNets (3 stages of 16/32/64 channels, basic blocks, 3x3 stem; the
    shortcut across a stage change is a 1x1 projection, option B), ``resnet18`` ... ``resnet152``
    mmpretrain's ResNets (same module names, so their checkpoints load).

    Args:
        arch (str): One of :attr:`arch_settings`. Defaults to ``'cifar56'``.
        widths (dict, optional): ``stem`` (int), ``stages`` (residual-stream width per stage)
            and ``blocks`` (per stage, per block, the inner widths: one for a basic block, two
            for a bottleneck). Defaults to None (the dense widths).
        stem (str, optional): ``'cifar'`` (3x3 stride-1 conv) or ``'imagenet'`` (7x7 stride-2
            conv and max pooling). Defaults to None (the arch's).
        strides (Sequence[int], optional): Stride of each stage. Defaults to None (1, then 2).
        out_indices (Sequence[int]): Stages whose outputs are returned. Defaults to ``(-1,)``.
        in_channels (int): Input channels. Defaults to 3.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        init_cfg (dict | list[dict], optional): Initialisation config. Defaults to Kaiming for
            convolutions and constant 1 for norm layers.
    """

    arch_settings = {
        'cifar20': ('basic', (3, 3, 3), 'cifar', 16, (16, 32, 64)),
        'cifar56': ('basic', (9, 9, 9), 'cifar', 16, (16, 32, 64)),
        'cifar110': ('basic', (18, 18, 18), 'cifar', 16, (16, 32, 64)),
        'resnet18': ('basic', (2, 2, 2, 2), 'imagenet', 64, (64, 128, 256, 512)),
        'resnet34': ('basic', (3, 4, 6, 3), 'imagenet', 64, (64, 128, 256, 512)),
        'resnet50': ('bottleneck', (3, 4, 6, 3), 'imagenet', 64, (64, 128, 256, 512)),
        'resnet101': ('bottleneck', (3, 4, 23, 3), 'imagenet', 64, (64, 128, 256, 512)),
        'resnet152': ('bottleneck', (3, 8, 36, 3), 'imagenet', 64, (64, 128, 256, 512)),
    }

    def __init__(self,
                 arch: str = 'cifar56',
                 widths: dict | None = None,
                 stem: str | None = None,
                 strides: Sequence[int] | None = None,
                 out_indices: Sequence[int] = (-1, ),
                 in_channels: int = 3,
                 norm_cfg: dict | None = None,
                 init_cfg: dict | list[dict] | None = None) -> None:
        init_cfg = init_cfg or [
            dict(type='Kaiming', layer='Conv2d'),
            dict(type='Constant', val=1, layer=['_BatchNorm', 'GroupNorm'])
        ]
        super().__init__(init_cfg=init_cfg)
        if arch not in self.arch_settings:
            raise KeyError(f'Unknown arch {arch!r}; choose from {sorted(self.arch_settings)}.')
        block, stage_blocks, default_stem, stem_width, mids = self.arch_settings[arch]
        self.arch = arch
        self.stem = stem or default_stem
        if self.stem not in ('cifar', 'imagenet'):
            raise ValueError(f"`stem` must be 'cifar' or 'imagenet', got {self.stem!r}.")
        num_stages = len(stage_blocks)
        self.strides = tuple(strides or (1, ) + (2, ) * (num_stages - 1))
        if len(self.strides) != num_stages:
            raise ValueError(f'{arch} has {num_stages} stages, got strides {self.strides}.')
        self.out_indices = tuple(i % num_stages for i in out_indices)
        self.norm_cfg = norm_cfg or dict(type='BN')
        expansion = 1 if block == 'basic' else 4
        dense = dict(stem=stem_width, stages=[m * expansion for m in mids],
                     blocks=[[[m] * (1 if block == 'basic' else 2)] * n
                             for m, n in zip(mids, stage_blocks, strict=True)])
        self.widths = self._check_widths(dense, widths)

        if self.stem == 'cifar':
            self.conv1 = _conv(in_channels, self.widths['stem'], 3)
        else:
            self.conv1 = nn.Conv2d(in_channels, self.widths['stem'], 7, 2, 3, bias=False)
        self.norm1_name, norm1 = build_norm_layer(self.norm_cfg, self.widths['stem'], postfix=1)
        self.add_module(self.norm1_name, norm1)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1) if self.stem == 'imagenet' else nn.Identity()

        self.res_layers = []
        dense_in, cin = dense['stem'], self.widths['stem']
        for i, (blocks, cout, stride) in enumerate(
                zip(self.widths['blocks'], self.widths['stages'], self.strides, strict=True)):
            layer = []
            for j, mid in enumerate(blocks):
                s = stride if j == 0 else 1
                # Which blocks project the shortcut is structure: decided on the dense widths,
                # so a pruned stream that happens to keep equal widths keeps its projection.
                project = j == 0 and (s != 1 or dense_in != dense['stages'][i])
                layer.append(SlimBlock(cin if j == 0 else cout, mid, cout, s, project,
                                       self.norm_cfg))
            self.add_module(f'layer{i + 1}', nn.Sequential(*layer))
            self.res_layers.append(f'layer{i + 1}')
            dense_in, cin = dense['stages'][i], cout

    @property
    def norm1(self) -> nn.Module:
        return getattr(self, self.norm1_name)

    @staticmethod
    def _check_widths(dense: dict, widths: dict | None) -> dict:
        """Returns ``widths`` (or the dense widths), checked against the structure."""
        if widths is None:
            return dense
        if set(widths) != set(dense):
            raise ValueError(f'`widths` needs exactly the keys {sorted(dense)}, got '
                             f'{sorted(widths)}.')
        shape = [[len(m) for m in stage] for stage in dense['blocks']]
        given = [[len(m) for m in stage] for stage in widths['blocks']]
        if given != shape or len(widths['stages']) != len(dense['stages']):
            raise ValueError(f'`widths` does not fit the arch: blocks shaped {given}, expected '
                             f'{shape}.')
        flat = [widths['stem'], *widths['stages'], *(w for s in widths['blocks'] for b in s
                                                     for w in b)]
        if min(flat) < 1:
            raise ValueError('Every layer of a SlimResNet needs at least one channel.')
        return dict(stem=int(widths['stem']), stages=[int(w) for w in widths['stages']],
                    blocks=[[[int(w) for w in b] for b in s] for s in widths['blocks']])

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        x = self.maxpool(self.relu(self.norm1(self.conv1(x))))
        outs = []
        for i, name in enumerate(self.res_layers):
            x = getattr(self, name)(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
