"""Concordance correlation coefficient (CCC) and the 1 − CCC loss (official ``losses/CCC.py``)."""
from __future__ import annotations

import torch
from mmaction.registry import MODELS
from torch import nn


def concordance_cc(pred: torch.Tensor, target: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """CCC(x, y) = 2 s_xy / (s_x² + s_y² + (μ_x − μ_y)²) of two 1-D tensors.

    Population (biased) moments, as the AVEC/ABAW definition; equal to the form of the
    official ``losses/CCC.py``, 2ρσ_xσ_y / (σ_x² + σ_y² + (μ_x − μ_y)²), since ρσ_xσ_y = s_xy.

    Args:
        pred (Tensor): Predictions, (N,).
        target (Tensor): Labels, (N,).
        eps (float): Added to the denominator (the official code's 1e-8). Defaults to 1e-8.

    Returns:
        Tensor: The scalar CCC.
    """
    mean_p, mean_t = pred.mean(), target.mean()
    dp, dt = pred - mean_p, target - mean_t
    cov = (dp * dt).mean()
    return 2 * cov / (dp.pow(2).mean() + dt.pow(2).mean() + (mean_p - mean_t) ** 2 + eps)


@MODELS.register_module()
class CCCLoss(nn.Module):
    """1 − CCC over all labelled predictions of a batch.

    The predictions of all clips and sub-sequences are flattened into one sequence
    (B·L values), as in the official ``losses/CCC.py``; steps without a label are left out
    rather than counted as zeros.

    Args:
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
        eps (float): Denominator ε of the CCC. Defaults to 1e-8.
    """

    def __init__(self, loss_weight: float = 1.0, eps: float = 1e-8) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.eps = eps

    def forward(self, pred: torch.Tensor, target: torch.Tensor,
                valid: torch.Tensor | None = None) -> torch.Tensor:
        """Computes the loss.

        Args:
            pred (Tensor): Predictions of any shape.
            target (Tensor): Labels of the same shape.
            valid (Tensor, optional): Boolean mask of the labelled entries. Defaults to all.

        Returns:
            Tensor: loss_weight · (1 − CCC); 0 (with a gradient) if nothing is labelled.
        """
        if valid is not None:
            pred, target = pred[valid], target[valid]
        if pred.numel() < 2:
            # No (or one) labelled step in the batch: no CCC, but keep the graph connected.
            return pred.sum() * 0
        return self.loss_weight * (1 - concordance_cc(pred.flatten(), target.flatten(),
                                                      self.eps))
