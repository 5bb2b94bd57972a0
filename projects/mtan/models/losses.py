"""The task losses of MTAN (Liu et al., CVPR 2019, Eqs. 4-6; lorenmt/mtan
``im2im_pred/utils.py``, ``model_fit``).

Depth and normal losses average over valid pixels only: a pixel is valid where its ground
truth summed over channels is non-zero, the official convention (``binary_mask``).
"""
from __future__ import annotations

import torch
from torch.nn import functional

IGNORE_INDEX = -1


def valid_mask(target: torch.Tensor) -> torch.Tensor:
    """(B, 1, H, W) float mask of the pixels whose target (B, C, H, W) is not all zero."""
    return (target.sum(dim=1, keepdim=True) != 0).float()


def _valid_count(mask: torch.Tensor) -> torch.Tensor:
    # A batch without a valid pixel contributes a zero loss rather than NaN.
    return mask.sum().clamp(min=1)


def seg_loss(log_probs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Pixel-wise cross-entropy on log-probabilities (B, C, H, W); target (B, H, W), -1
    ignored."""
    return functional.nll_loss(log_probs, target, ignore_index=IGNORE_INDEX)


def depth_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """L1 distance over valid pixels; pred and target (B, 1, H, W)."""
    mask = valid_mask(target)
    return ((pred - target).abs() * mask).sum() / _valid_count(mask)


def normal_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """1 - mean cosine over valid pixels; pred and target (B, 3, H, W) unit vectors."""
    mask = valid_mask(target)
    return 1 - (pred * target * mask).sum() / _valid_count(mask)


TASK_LOSSES = dict(seg=seg_loss, depth=depth_loss, normal=normal_loss)
