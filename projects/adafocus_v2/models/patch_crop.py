"""The differentiable, interpolation-based patch crop of AdaFocusV2.

AdaFocusV2 makes patch selection differentiable by cutting the patch with bilinear
interpolation instead of integer indexing (the paper's "interpolation-based patch selection";
its exact notation is unconfirmed, see README, 'Differences from the paper'). Each patch pixel
is a bilinear mix of its four neighbouring frame pixels, whose weights are piecewise linear in the
patch location, so the task loss reaches the policy network through the crop (official
code: models/adafocus_v2.py, `get_patches_frame`; Sth-Sth folder: main.py, `get_patch_grid`).
"""
from __future__ import annotations

import torch
from torch import Tensor
from torch.nn import functional


def check_patch_size(patch_size: int, height: int, width: int) -> None:
    """Raises a ValueError naming the sizes if a ``patch_size`` patch does not fit the frame."""
    if not 0 < patch_size <= min(height, width):
        raise ValueError(f'patch_size={patch_size} does not fit in frames of {height}x{width} '
                         'pixels: it must be positive and at most the shorter frame side.')


def patch_boxes(actions: Tensor, height: int, width: int, patch_size: int) -> Tensor:
    """Pixel boxes of the patches selected by ``actions``.

    The policy's action a = (a_x, a_y) in [0, 1]² places the patch's top-left corner at
    (a_x (W - P), a_y (H - P)), so every patch lies fully inside the frame (official code:
    models/adafocus_v2.py, `get_patches_frame`).

    Args:
        actions (Tensor): Actions (..., 2) as (a_x, a_y) in [0, 1].
        height (int): Frame height H.
        width (int): Frame width W.
        patch_size (int): Patch side P in pixels.

    Returns:
        Tensor: Boxes (..., 4) as (x1, y1, x2, y2) in pixel-edge coordinates.
    """
    check_patch_size(patch_size, height, width)
    span = actions.new_tensor([width - patch_size, height - patch_size])
    top_left = actions * span
    return torch.cat([top_left, top_left + patch_size], dim=-1)


def crop_patches(frames: Tensor, actions: Tensor, patch_size: int) -> Tensor:
    """Cuts one P x P patch from each frame with bilinear interpolation.

    The crop is the affine sampling grid θ = [[P/W, 0, t_x], [0, P/H, t_y]] with the patch
    centre (t_x, t_y) = ((2 x1 + P)/W - 1, (2 y1 + P)/H - 1) in normalised coordinates, sampled
    with ``grid_sample`` (bilinear, ``align_corners=False``). Patch pixel (i, j) then reads the
    frame at the continuous location (x1 + j, y1 + i): an exact integer crop when x1 and y1 are
    integers, and a differentiable function of the action everywhere in between.

    Args:
        frames (Tensor): Frames (N, C, H, W).
        actions (Tensor): Actions (N, 2) as (a_x, a_y) in [0, 1], one per frame.
        patch_size (int): Patch side P in pixels, at most min(H, W).

    Returns:
        Tensor: Patches (N, C, P, P).
    """
    n, c, height, width = frames.shape
    check_patch_size(patch_size, height, width)
    if actions.shape != (n, 2):
        raise ValueError(f'actions must have shape ({n}, 2) for {n} frames, got '
                         f'{tuple(actions.shape)}.')
    x1, y1, _, _ = patch_boxes(actions, height, width, patch_size).unbind(-1)
    theta = frames.new_zeros(n, 2, 3)
    theta[:, 0, 0] = patch_size / width
    theta[:, 1, 1] = patch_size / height
    theta[:, 0, 2] = (2 * x1 + patch_size) / width - 1
    theta[:, 1, 2] = (2 * y1 + patch_size) / height - 1
    grid = functional.affine_grid(theta, [n, c, patch_size, patch_size], align_corners=False)
    return functional.grid_sample(frames, grid, mode='bilinear', padding_mode='zeros',
                                  align_corners=False)
