"""The x4 pixel-shuffle reconstruction shared by TTVSRNet and SingleFrameVSRNet.

It is the upsampling at the end of each forward step of the official ``TTVSRNet.forward``
(``mmedit/models/backbones/sr_backbones/ttvsrnet.py``).
"""
from __future__ import annotations

import torch
import torch.nn as nn
from mmagic.models.archs import PixelShufflePack
from mmengine.model import BaseModule
from torch.nn import functional

#: The only upsampling factor of the networks (two x2 pixel-shuffle stages), as in the official
#: ``TTVSRNet`` ("Support only x4 upsampling").
SCALE = 4


class PixelShuffleReconstruction(BaseModule):
    """Fuse per-frame features and upsample x4 with a bilinear skip (official ``TTVSRNet``).

    1x1 conv ``in_channels`` -> ``mid_channels`` + LeakyReLU, two ``PixelShufflePack`` x2
    stages (the second to 64 channels, as in BasicVSR) each + LeakyReLU, ``conv_hr`` 3x3 64->64
    + LeakyReLU, ``conv_last`` 3x3 64->3, plus the bilinear (align_corners=False) x4 upsampled
    LR frame. The paper's figure says bicubic, the official code uses bilinear
    (``TTVSRNet.img_upsample``).

    The networks subclass it so that the layers keep the official attribute names ``fusion``,
    ``upsample1``, ``upsample2``, ``conv_hr``, ``conv_last`` at their top level, as in the
    official ``TTVSRNet.__init__``.
    """

    def build_reconstruction(self, in_channels: int, mid_channels: int) -> None:
        """Create the reconstruction layers (called from the subclass constructor)."""
        self.fusion = nn.Conv2d(in_channels, mid_channels, 1, 1, 0)
        self.upsample1 = PixelShufflePack(mid_channels, mid_channels, 2, upsample_kernel=3)
        self.upsample2 = PixelShufflePack(mid_channels, 64, 2, upsample_kernel=3)
        self.conv_hr = nn.Conv2d(64, 64, 3, 1, 1)
        self.conv_last = nn.Conv2d(64, 3, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(negative_slope=0.1, inplace=True)

    def reconstruct(self, feat: torch.Tensor, lr: torch.Tensor) -> torch.Tensor:
        """(m, in_channels, h, w) fused features and (m, 3, h, w) LR frames -> (m, 3, 4h, 4w)."""
        out = self.lrelu(self.fusion(feat))
        out = self.lrelu(self.upsample1(out))
        out = self.lrelu(self.upsample2(out))
        out = self.lrelu(self.conv_hr(out))
        out = self.conv_last(out)
        skip = functional.interpolate(lr, scale_factor=SCALE, mode='bilinear',
                                      align_corners=False)
        return out + skip


def check_lr_sequence(lrs: torch.Tensor, owner: str, min_frames: int = 1,
                      min_size: int = 1) -> tuple[int, int, int, int, int]:
    """Check a (n, t, 3, h, w) LR batch at the network boundary and return its shape.

    Args:
        lrs (Tensor): the network input.
        owner (str): the network's name, for the messages.
        min_frames (int): the fewest frames the network can use. Default 1.
        min_size (int): h and w must be at least this (the token size). Default 1.

    Returns:
        tuple: (n, t, c, h, w).
    """
    if lrs.dim() != 5 or lrs.size(2) != 3:
        raise ValueError(f'{owner} expects LR frames of shape (n, t, 3, h, w), got '
                         f'{tuple(lrs.shape)}; a single image needs a time axis of length 1')
    n, t, c, h, w = lrs.shape
    if t < min_frames:
        raise ValueError(f'{owner} needs at least {min_frames} frames per sequence (flow is '
                         f'computed between neighbouring frames), got t={t}; feed a longer '
                         'clip (num_input_frames in the dataset config)')
    if h < min_size or w < min_size:
        raise ValueError(f'{owner}: the LR frame size {h}x{w} is smaller than one token '
                         f'({min_size}x{min_size}); feed larger frames (gt_patch_size of at '
                         f'least {min_size * SCALE})')
    return n, t, c, h, w
