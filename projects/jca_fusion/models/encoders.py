"""Per-sub-sequence encoders: a clip backbone, global pooling and an optional freeze."""
from __future__ import annotations

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseModule


@MODELS.register_module()
class SegmentEncoder(BaseModule):
    """Encodes each of the L sub-sequences of a clip into one feature vector (backbones
    of the official ``main.py``).

    Wraps any backbone built from the registry (an mmaction2 3D CNN over face clips, an
    mmpretrain 2D CNN over log-mel spectrograms, ...): the L sub-sequences are folded into the
    batch, the backbone's last feature map is averaged over all non-channel axes, giving
    X_m ∈ R^{B×L×C}. In the paper both backbones are pretrained on Aff-Wild2 and frozen.

    Args:
        backbone (dict): Config of the backbone, e.g. ``dict(type='mmaction.ResNet2Plus1d',
            ...)`` or ``dict(type='mmpretrain.ResNet', in_channels=1, ...)``.
        out_channels (int): Channels of the backbone's last feature map.
        frozen (bool): Keep the backbone's weights fixed and its norm layers in eval mode.
            Defaults to False.
        init_cfg (dict, optional): Initialisation config (e.g. a ``Pretrained`` checkpoint).
            Defaults to None.
    """

    def __init__(self, backbone: dict, out_channels: int, frozen: bool = False,
                 init_cfg: dict | None = None) -> None:
        super().__init__(init_cfg)
        self.backbone = MODELS.build(backbone)
        self.out_channels = out_channels
        self.frozen = frozen
        if frozen:
            self.backbone.requires_grad_(False)

    def train(self, mode: bool = True) -> SegmentEncoder:
        """Sets the mode; a frozen backbone stays in eval mode (fixed norm statistics)."""
        super().train(mode)
        if self.frozen:
            self.backbone.eval()
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encodes the sub-sequences.

        Args:
            x (Tensor): (B, L, ...) inputs, e.g. (B, L, 3, T, H, W) face clips or
                (B, L, 1, M, F) spectrograms.

        Returns:
            Tensor: (B, L, out_channels) features.
        """
        b, length = x.shape[:2]
        feats = self.backbone(x.flatten(0, 1))
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        return feats.flatten(2).mean(-1).view(b, length, -1)
