"""The single-frame baseline of TTVSRNet's size: no flow, no propagation (benchmark only)."""
from __future__ import annotations

import torch
from mmagic.models.editors.basicvsr.basicvsr_net import ResidualBlocksWithInputConv
from mmagic.registry import MODELS

from .reconstruction import PixelShuffleReconstruction, check_lr_sequence


@MODELS.register_module()
class SingleFrameVSRNet(PixelShuffleReconstruction):
    """Super-resolve every frame on its own with TTVSRNet's layers (the ablation baseline).

    TTVSRNet's shallow extractor gives F_i; a trunk of the same residual blocks (its input
    conv takes F_i alone, mid -> mid, instead of [F_i, A_i]) gives H_i; the same x4
    reconstruction (the upsampling of the official ``TTVSRNet.forward``) fuses [H_i, F_i]
    (2*mid channels instead of 3*mid). It sees exactly what TTVSRNet sees of frame i, without
    the other frames, so a gap between the two measures what the temporal part adds. Frames
    are processed as one batch of n*t images. Used with mmagic's ``BasicVSR`` editor (which
    freezes nothing here: there is no SPyNet).

    Args:
        mid_channels (int): Feature channels. Default: 64.
        num_blocks (int): Residual blocks of the trunk. Default: 60.
        num_extract_blocks (int): Residual blocks of the shallow extractor. Default: 5.
        init_cfg (dict, optional): mmengine initialisation config. Default: None.
    """

    def __init__(self, mid_channels: int = 64, num_blocks: int = 60,
                 num_extract_blocks: int = 5, init_cfg: dict | None = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.mid_channels = mid_channels
        self.feat_extractor = ResidualBlocksWithInputConv(3, mid_channels, num_extract_blocks)
        self.resblocks = ResidualBlocksWithInputConv(mid_channels, mid_channels, num_blocks)
        self.build_reconstruction(2 * mid_channels, mid_channels)

    def forward(self, lrs: torch.Tensor) -> torch.Tensor:
        """(n, t, 3, h, w) LR frames in [0, 1] -> (n, t, 3, 4h, 4w) HR frames."""
        n, t, c, h, w = check_lr_sequence(lrs, type(self).__name__)
        frames = lrs.reshape(-1, c, h, w)
        feats = self.feat_extractor(frames)
        out = self.reconstruct(torch.cat([self.resblocks(feats), feats], dim=1), frames)
        return out.view(n, t, *out.shape[1:])
