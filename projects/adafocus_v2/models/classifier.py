"""The classifier f_C of AdaFocusV2 (official code: models/adafocus_v2.py, `PoolingClassifier`)."""
from __future__ import annotations

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn


@MODELS.register_module()
class PoolingClassifier(BaseModule):
    """f_C: per-frame fusion, running max over time, one linear head per time step.

    For every frame t, the global and local feature vectors are concatenated and mapped by a
    shared MLP (Linear, BN1d, ReLU) to z_t; the running element-wise maximum
    z̄_t = max(z_1, ..., z_t) summarises the frames seen so far, and step t has its own head
    (Dropout, Linear). The logits of every step are returned: all are trained (official code:
    main_v2.py, `train`) and they are the exits of conditional exit (AdaFocusV2+, official
    code: ops/early_exit.py); the last step's are the video prediction.

    Args:
        in_channels (int): Width of the concatenated global + local vector, C_G + C_L.
        num_classes (int): Number of classes.
        num_frames (int): Time steps T, one head each. Defaults to 16.
        hidden_dim (int): Width of the shared MLP (4096 in the official code). Defaults to 4096.
        dropout (float): Dropout before each head. Defaults to 0.2.
        init_cfg (dict | list[dict] | None): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: int,
                 num_frames: int = 16,
                 hidden_dim: int = 4096,
                 dropout: float = 0.2,
                 init_cfg: dict | list[dict] | None = None) -> None:
        super().__init__(init_cfg)
        self.in_channels = in_channels
        self.num_frames = num_frames
        self.mlp = nn.Sequential(
            nn.Linear(in_channels, hidden_dim), nn.BatchNorm1d(hidden_dim), nn.ReLU(inplace=True))
        self.heads = nn.ModuleList(
            nn.Sequential(nn.Dropout(dropout), nn.Linear(hidden_dim, num_classes))
            for _ in range(num_frames))

    def forward(self, global_feats: Tensor, local_feats: Tensor) -> Tensor:
        """Classifies every prefix of the frame sequence.

        Args:
            global_feats (Tensor): f_G vectors (B, T, C_G).
            local_feats (Tensor): f_L vectors (B, T, C_L), C_G + C_L = ``in_channels``.

        Returns:
            Tensor: Logits (B, T, num_classes); row t sees frames 1..t.
        """
        feats = torch.cat([global_feats, local_feats], dim=-1)
        b, t, c = feats.shape
        if (t, c) != (self.num_frames, self.in_channels):
            raise ValueError(f'PoolingClassifier expects (B, {self.num_frames}, '
                             f'{self.in_channels}) features, got {tuple(feats.shape)}.')
        z = self.mlp(feats.reshape(b * t, c)).view(b, t, -1)
        z = torch.cummax(z, dim=1).values
        return torch.stack([head(z[:, step]) for step, head in enumerate(self.heads)], dim=1)

    def step(self, global_feats: Tensor, local_feats: Tensor, pooled: Tensor | None,
             index: int) -> tuple[Tensor, Tensor]:
        """Step ``index`` alone, for frame-by-frame (early-exit) inference.

        Args:
            global_feats (Tensor): f_G vectors (B, C_G) of frame ``index``.
            local_feats (Tensor): f_L vectors (B, C_L) of frame ``index``.
            pooled (Tensor | None): The running maximum z̄ after the previous frame (None at
                the first).
            index (int): The step t (0-based), whose head is used.

        Returns:
            tuple[Tensor, Tensor]: Logits (B, K) of step t and the running maximum z̄_t.
        """
        z = self.mlp(torch.cat([global_feats, local_feats], dim=-1))
        pooled = z if pooled is None else torch.maximum(pooled, z)
        return self.heads[index](pooled), pooled
