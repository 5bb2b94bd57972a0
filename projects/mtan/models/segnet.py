"""SegNet, the shared encoder-decoder of MTAN (Liu et al., CVPR 2019, Sec. 4.1).

The layout follows the official ``SegNet`` of lorenmt/mtan ``im2im_pred/model_segnet_mtan.py``
(shared part): a VGG-16 encoder of five stages (2, 2, 3, 3, 3 convolutions, each 3x3 conv with
bias, BN, ReLU) with 2x2 max-pooling that keeps indices, and a symmetric decoder that unpools
with those indices. Besides the last decoder feature, the backbone returns the intermediate
features the task attention modules read (Fig. 2 of the paper).
"""
from __future__ import annotations

import warnings
from typing import NamedTuple

import torch
from mmcv.cnn import ConvModule
from torch import nn
from torch.nn import functional

from ..registry import MODELS


def conv_bn_act(in_channels: int, out_channels: int, kernel_size: int = 3,
                act: str = 'ReLU') -> ConvModule:
    """conv → BN → activation, 'same' padding; the conv keeps its bias, as every official
    conv does (mmcv warns that a bias before BN is redundant, hence the filter)."""
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', 'Unnecessary conv bias')
        return ConvModule(in_channels, out_channels, kernel_size, padding=kernel_size // 2,
                          bias=True, norm_cfg=dict(type='BN'),
                          act_cfg=dict(type=act, inplace=True) if act == 'ReLU'
                          else dict(type=act))


def conv_bn_relu(in_channels: int, out_channels: int) -> ConvModule:
    """The official ``conv_layer``: 3x3 conv (with bias) → BN → ReLU."""
    return conv_bn_act(in_channels, out_channels)


class SegNetFeatures(NamedTuple):
    """What :class:`SegNet` returns; lists run over the five stages.

    Attributes:
        enc_first (list[Tensor]): Output of each encoder stage's first conv (``u^(j)``).
        enc_out (list[Tensor]): Output of each encoder stage before pooling (``p^(j)``).
        dec_unpooled (list[Tensor]): Input of each decoder stage after unpooling, deepest
            first.
        dec_out (list[Tensor]): Output of each decoder stage, deepest first; the last one is
            the shared feature the task heads read.
    """
    enc_first: list[torch.Tensor]
    enc_out: list[torch.Tensor]
    dec_unpooled: list[torch.Tensor]
    dec_out: list[torch.Tensor]


@MODELS.register_module()
class SegNet(nn.Module):
    """SegNet with a VGG-16 encoder (the official MTAN backbone).

    Decoder stage ``j`` (deepest first) works at encoder level ``k = 4 - j``: it unpools to
    ``filters[k]`` channels, its first conv maps them to ``filters[k - 1]`` (``filters[0]`` at
    ``k = 0``), then ``num_convs[k] - 1`` more convs keep that width, as the official
    ``decoder_block`` and ``conv_block_dec``.

    Args:
        in_channels (int): Image channels. Defaults to 3.
        filters (Sequence[int]): Channels of the five stages. Defaults to
            ``(64, 128, 256, 512, 512)`` (VGG-16, the official sizes).
        num_convs (Sequence[int]): Convolutions per stage. Defaults to ``(2, 2, 3, 3, 3)``.
    """

    def __init__(self, in_channels: int = 3, filters=(64, 128, 256, 512, 512),
                 num_convs=(2, 2, 3, 3, 3)) -> None:
        super().__init__()
        if len(filters) != 5 or len(num_convs) != 5:
            raise ValueError(f'SegNet needs five stages: filters={filters}, '
                             f'num_convs={num_convs}.')
        self.filters = tuple(filters)
        self.num_convs = tuple(num_convs)
        self.out_channels = filters[0]
        self.enc_first, self.enc_rest = nn.ModuleList(), nn.ModuleList()
        for k, (width, convs) in enumerate(zip(filters, num_convs, strict=True)):
            self.enc_first.append(conv_bn_relu(in_channels if k == 0 else filters[k - 1], width))
            self.enc_rest.append(nn.Sequential(*(conv_bn_relu(width, width)
                                                 for _ in range(convs - 1))))
        self.dec_first, self.dec_rest = nn.ModuleList(), nn.ModuleList()
        for k in reversed(range(5)):
            width = self.dec_channels(k)
            self.dec_first.append(conv_bn_relu(filters[k], width))
            self.dec_rest.append(nn.Sequential(*(conv_bn_relu(width, width)
                                                 for _ in range(num_convs[k] - 1))))

    def dec_channels(self, level: int) -> int:
        """Output channels of the decoder stage at encoder level ``level``."""
        return self.filters[max(level - 1, 0)]

    def forward(self, x: torch.Tensor) -> SegNetFeatures:
        """Runs the encoder-decoder. ``x``: (B, C, H, W), H and W divisible by 32."""
        if x.shape[-2] % 32 or x.shape[-1] % 32:
            raise ValueError(f'SegNet needs H and W divisible by 32 (5 pool/unpool stages); '
                             f'got an input of {tuple(x.shape)}.')
        enc_first, enc_out, indices = [], [], []
        for first, rest in zip(self.enc_first, self.enc_rest, strict=True):
            enc_first.append(first(x))
            enc_out.append(rest(enc_first[-1]))
            x, index = functional.max_pool2d(enc_out[-1], 2, 2, return_indices=True)
            indices.append(index)
        dec_unpooled, dec_out = [], []
        for j, (first, rest) in enumerate(zip(self.dec_first, self.dec_rest, strict=True)):
            dec_unpooled.append(functional.max_unpool2d(x, indices[-j - 1], 2, 2))
            x = rest(first(dec_unpooled[-1]))
            dec_out.append(x)
        return SegNetFeatures(enc_first, enc_out, dec_unpooled, dec_out)
