"""The fused classifier of the TSM variant of AdaFocusV2."""
from __future__ import annotations

from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn


@MODELS.register_module()
class DetachedFusionHead(BaseModule):
    """Sum of a global and a local linear classifier on **detached** features.

    In the official Something-Something / Jester code (ops/models.py, `TSN.forward`) each TSN
    has two heads: ``new_fc`` on the detached pooled feature, and ``new_new_fc`` (the
    auxiliary head) on the live one. The prediction is global ``new_fc`` + local ``new_fc``
    (average consensus over frames), so the encoders and π learn only from the auxiliary
    losses. This head reproduces that: it is the f_C of the TSM variant, and the gradient
    stops at its input.

    Args:
        global_channels (int): Width of f_G's pooled vector.
        local_channels (int): Width of f_L's pooled vector.
        num_classes (int): Number of classes.
        dropout (float): Dropout before each linear layer. Defaults to 0.5.
        init_cfg (dict | list[dict] | None): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 global_channels: int,
                 local_channels: int,
                 num_classes: int,
                 dropout: float = 0.5,
                 init_cfg: dict | list[dict] | None = None) -> None:
        super().__init__(init_cfg)
        self.global_fc = nn.Sequential(nn.Dropout(dropout), nn.Linear(global_channels, num_classes))
        self.local_fc = nn.Sequential(nn.Dropout(dropout), nn.Linear(local_channels, num_classes))

    def forward(self, global_feats: Tensor, local_feats: Tensor) -> Tensor:
        """Classifies a video from its frames' pooled vectors.

        Args:
            global_feats (Tensor): f_G vectors (B, T_G, global_channels).
            local_feats (Tensor): f_L vectors (B, T_L, local_channels).

        Returns:
            Tensor: Logits (B, 1, num_classes), one step (no early exit in this variant).
        """
        logits = (self.global_fc(global_feats.detach()).mean(1)
                  + self.local_fc(local_feats.detach()).mean(1))
        return logits[:, None]
