"""The Multi-View Fusion (MVF) module of MVFNet (Wu et al., AAAI 2021).

Official code: ``codes/models/modules/MVF.py`` (``MVF``, ``make_multi_view_fusion``).
"""
from __future__ import annotations

import math

import torch
from torch import nn

MODES = ('THW', 'TH', 'T')


class MVF(nn.Module):
    """Multi-view fusion in front of a 2D convolution.

    The module wraps ``net`` (the first convolution of a residual branch). Its input, the
    (N·T, C, H, W) frames of N clips of ``num_segments`` frames, is viewed as (N, C, T, H, W).
    The first ``int(alpha * C)`` channels go through channel-wise (depthwise, no bias) 3-tap
    convolutions along T, H and W whose outputs are **summed** (no fusion weights), then
    BatchNorm3d and h-swish; the other channels pass unchanged; the concatenation goes into
    ``net``. As in the official ``MVF.forward``.

    Modes select the views: ``'THW'`` (T + H + W, the released models), ``'TH'`` (T + H) and
    ``'T'`` (temporal only: a learnable, channel-wise temporal convolution). With ``share`` the
    H and W views reuse the temporal kernel through transposes (weight sharing).

    ``alpha=0`` makes the module the identity (the network is a C2D); ``fixed_shift`` freezes the
    temporal kernel to TSM's shift (the first half of the channels takes the next frame, the
    second half the previous one, an odd last channel stays), so that ``alpha=2/shift_div``,
    ``mode='T'``, ``use_hs=False`` is exactly TSM's temporal shift (the paper's abstract: MVFNet
    "can specialize to be existing methods such as C2D, SlowOnly, and TSM").

    Args:
        net (nn.Module): The wrapped 2D convolution.
        num_segments (int): Frames per clip, T.
        in_channels (int): Channels C of the input of ``net``.
        alpha (float): Fraction of the channels that are fused. Defaults to 0.125.
        mode (str): ``'THW'``, ``'TH'`` or ``'T'``. Defaults to ``'THW'``.
        share (bool): Whether the H and W views reuse the temporal kernel. Defaults to False.
        use_hs (bool): Whether BatchNorm3d and h-swish follow the fusion. The official code
            applies both or neither (its ``use_hs=False`` builds a ReLU it never calls).
            Defaults to True.
        fixed_shift (bool): Whether the temporal kernel is TSM's fixed shift: a constant
            (a non-persistent buffer, so the state dict has no entry for it). Defaults to False.
    """

    def __init__(self,
                 net: nn.Module,
                 num_segments: int,
                 in_channels: int,
                 alpha: float = 0.125,
                 mode: str = 'THW',
                 share: bool = False,
                 use_hs: bool = True,
                 fixed_shift: bool = False) -> None:
        super().__init__()
        if mode not in MODES:
            raise ValueError(f'MVF mode must be one of {MODES}, got {mode!r}.')
        if not 0 <= alpha <= 1:
            raise ValueError(f'MVF alpha must lie in [0, 1], got {alpha}.')
        self.net = net
        self.num_segments = num_segments
        self.num_fused = int(in_channels * alpha)
        self.split_sizes = [self.num_fused, in_channels - self.num_fused]
        self.mode = mode
        self.share = share
        self.use_hs = use_hs
        self.fixed_shift = fixed_shift
        if self.num_fused == 0:
            return
        self.shift_conv = self._view_conv((3, 1, 1))
        if not share and mode in ('TH', 'THW'):
            self.h_conv = self._view_conv((1, 3, 1))
        if not share and mode == 'THW':
            self.w_conv = self._view_conv((1, 1, 3))
        if use_hs:
            self.bn = nn.BatchNorm3d(self.num_fused)
            self.activation = nn.Hardswish()
        if fixed_shift:
            # A constant, not a parameter: nothing to train, and the state dict is TSM's.
            kernel = self.shift_conv.weight.detach()
            del self.shift_conv.weight
            self.shift_conv.register_buffer('weight', kernel, persistent=False)
        self.reset_parameters()

    def _view_conv(self, kernel_size: tuple[int, int, int]) -> nn.Conv3d:
        """A channel-wise 3-tap convolution along one axis ("same" padding)."""
        return nn.Conv3d(self.num_fused, self.num_fused, kernel_size,
                         padding=tuple(k // 2 for k in kernel_size), groups=self.num_fused,
                         bias=False)

    @torch.no_grad()
    def reset_parameters(self) -> None:
        """Official initialisation (``MVF._initialize_weights``): kernels ~ N(0, 2/n) with
        n = kernel volume x out channels, BN weight 1 and bias 0; TSM's shift kernel instead
        when ``fixed_shift``."""
        for m in self.modules():
            if isinstance(m, nn.Conv3d) and m is not self.net:
                n = math.prod(m.kernel_size) * m.out_channels
                m.weight.normal_(0, math.sqrt(2.0 / n))
            elif isinstance(m, nn.BatchNorm3d):
                m.weight.fill_(1)
                m.bias.zero_()
        if self.fixed_shift:
            kernel = self.shift_conv.weight
            kernel.zero_()
            half = self.num_fused // 2
            kernel[:half, 0, 2] = 1  # out[t] = x[t + 1] (TSM's "shift left")
            kernel[half:2 * half, 0, 0] = 1  # out[t] = x[t - 1] (TSM's "shift right")
            kernel[2 * half:, 0, 1] = 1

    def fuse(self, x: torch.Tensor) -> torch.Tensor:
        """The fused views of the (N, C1, T, H, W) slice (before BN and activation)."""
        out = self.shift_conv(x)
        if self.mode in ('TH', 'THW'):
            out = out + (self.shift_conv(x.transpose(2, 3)).transpose(2, 3)
                         if self.share else self.h_conv(x))
        if self.mode == 'THW':
            out = out + (self.shift_conv(x.permute(0, 1, 4, 2, 3)).permute(0, 1, 3, 4, 2)
                         if self.share else self.w_conv(x))
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N·T, C, H, W) -> the wrapped convolution's output."""
        if self.num_fused:
            nt, c, h, w = x.shape
            x = x.view(nt // self.num_segments, self.num_segments, c, h, w).transpose(1, 2)
            fused, rest = x.split(self.split_sizes, dim=1)
            fused = self.fuse(fused)
            if self.use_hs:
                fused = self.activation(self.bn(fused))
            x = torch.cat([fused, rest], dim=1).transpose(1, 2).contiguous().view(nt, c, h, w)
        return self.net(x)

    def extra_repr(self) -> str:
        return (f'num_segments={self.num_segments}, num_fused={self.num_fused}, '
                f'mode={self.mode!r}, share={self.share}, use_hs={self.use_hs}, '
                f'fixed_shift={self.fixed_shift}')
