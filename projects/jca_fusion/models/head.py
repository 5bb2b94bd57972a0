"""Per-sub-sequence valence/arousal regression head (official code: ``models/cam.py``,
``regressor``)."""
from __future__ import annotations

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import nn


@MODELS.register_module()
class VARegressionHead(BaseModule):
    """One regressor per dimension, applied to every time step of the fused features.

    Each regressor is Linear(in→hidden), Dropout, Linear(hidden→1) with no nonlinearity in
    between, as in the official code (``vregressor``/``aregressor`` of the T-BIOM ``cam.py``);
    both dimensions are predicted jointly and trained with Σ_dim (1 − CCC_dim).

    Args:
        in_channels (int): Channels of the fused feature per sub-sequence.
        hidden_channels (int): Width of the hidden layer. Defaults to 128.
        dropout (float): Dropout between the two layers. Defaults to 0.6.
        dimensions (tuple[str]): Names of the regressed dimensions.
            Defaults to ('valence', 'arousal').
        loss (dict): Config of the loss of each dimension. Defaults to ``dict(type='CCCLoss')``.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 hidden_channels: int = 128,
                 dropout: float = 0.6,
                 dimensions: tuple[str, ...] = ('valence', 'arousal'),
                 loss: dict | None = None,
                 init_cfg: dict | None = None) -> None:
        super().__init__(init_cfg)
        self.dimensions = tuple(dimensions)
        self.regressors = nn.ModuleDict({
            dim: nn.Sequential(nn.Linear(in_channels, hidden_channels), nn.Dropout(dropout),
                               nn.Linear(hidden_channels, 1))
            for dim in self.dimensions})
        self.loss_module = MODELS.build(loss or dict(type='CCCLoss'))

    def forward(self, feats: torch.Tensor) -> dict[str, torch.Tensor]:
        """Regresses every dimension at every time step.

        Args:
            feats (Tensor): Fused features, (B, L, C).

        Returns:
            dict[str, Tensor]: {dimension: (B, L)}.
        """
        return {dim: reg(feats).squeeze(-1) for dim, reg in self.regressors.items()}

    def loss(self, feats: torch.Tensor, targets: dict[str, torch.Tensor],
             valid: torch.Tensor | dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """The 1 − CCC loss of each dimension over the steps labelled in it.

        Args:
            feats (Tensor): Fused features, (B, L, C).
            targets (dict[str, Tensor]): {dimension: (B, L)} labels.
            valid (Tensor | dict[str, Tensor]): (B, L) mask of labelled steps, one for all
                dimensions or one per dimension.

        Returns:
            dict[str, Tensor]: {``loss_<dimension>``: scalar}.
        """
        preds = self(feats)
        masks = valid if isinstance(valid, dict) else dict.fromkeys(self.dimensions, valid)
        return {f'loss_{dim}': self.loss_module(preds[dim], targets[dim], masks[dim])
                for dim in self.dimensions}
