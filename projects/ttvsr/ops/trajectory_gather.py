"""Trajectory gather: the token of every trajectory in a keyframe (TTVSR's ``LTAM.forward``).

TTVSR keeps, for every keyframe seen so far, a map of tokens on its token grid, and for every
token position of the current frame the grid cell where the same trajectory sits in each
keyframe (the location map, built in ``TTVSRNet.forward`` of the official code,
``mmedit/models/backbones/sr_backbones/ttvsrnet.py``). Attention along a trajectory first
reads those tokens. The official ``LTAM.forward`` does this with ``grid_sample(mode='nearest',
padding_mode='zeros', align_corners=True)`` on coordinates normalised to [-1, 1]; this op
reads the same cells by index, which is exactly equal (see :func:`trajectory_gather`) and
avoids the normalisation round trip and the channels-first layout that ``grid_sample`` needs.

Two implementations compute the same thing:

* a vectorised PyTorch one (:func:`trajectory_gather_pytorch`), always available;
* a C++ extension (``csrc/trajectory_gather.cpp``, see :mod:`.build`), used when it has been
  built and loaded, with the PyTorch one as the fallback.
"""
from __future__ import annotations

import torch
from torch.nn import functional

from .build import loaded_extension


def _check_shapes(tokens: torch.Tensor, locations: torch.Tensor,
                  frames: torch.Tensor | None) -> None:
    """Raise a ValueError naming the argument whose shape does not fit the others."""
    if tokens.dim() != 5:
        raise ValueError('trajectory_gather: tokens must be (n, T, Hs, Ws, C), '
                         f'got shape {tuple(tokens.shape)}')
    if locations.dim() != 5 or locations.size(2) != 2 or locations.size(0) != tokens.size(0):
        raise ValueError('trajectory_gather: locations must be (n, K, 2, H, W) with the n of '
                         f'tokens ({tokens.size(0)}), got shape {tuple(locations.shape)}')
    if not locations.is_floating_point():
        raise ValueError('trajectory_gather: locations must be a floating-point tensor of '
                         f'grid coordinates, got {locations.dtype}')
    n, k, _, h, w = locations.shape
    if frames is None:
        if k != tokens.size(1):
            raise ValueError(f'trajectory_gather: without frames, locations must hold one '
                             f'trajectory read per keyframe (K = T = {tokens.size(1)}), got '
                             f'K = {k}; pass frames to choose the keyframe of each read')
        return
    if frames.shape != (n, k, h, w) or frames.dtype != torch.int64:
        raise ValueError(f'trajectory_gather: frames must be an int64 tensor of shape '
                         f'{(n, k, h, w)}, got {frames.dtype} {tuple(frames.shape)}')


def _frame_indices(locations: torch.Tensor, frames: torch.Tensor | None) -> torch.Tensor:
    """The keyframe read by each (n, K, H, W) position: ``frames``, or k for the k-th read."""
    if frames is not None:
        return frames
    n, k, _, h, w = locations.shape
    return torch.arange(k, device=locations.device).view(1, k, 1, 1).expand(n, k, h, w)


def trajectory_gather_pytorch(tokens: torch.Tensor, locations: torch.Tensor,
                              frames: torch.Tensor | None = None) -> torch.Tensor:
    """Vectorised PyTorch implementation of :func:`trajectory_gather` (same arguments)."""
    n, num_frames, grid_h, grid_w, channels = tokens.shape
    xy = torch.round(locations.detach())
    x, y = xy[:, :, 0], xy[:, :, 1]
    inside = (x >= 0) & (x <= grid_w - 1) & (y >= 0) & (y <= grid_h - 1)
    frame = _frame_indices(locations, frames)
    batch = torch.arange(n, device=tokens.device).view(n, 1, 1, 1)
    # One flat row index per read; rows outside the grid read row 0 and are zeroed below,
    # which keeps a single index_select instead of a padded copy of the whole memory.
    cell = ((batch * num_frames + frame) * grid_h + y.clamp(0, grid_h - 1).long()) * grid_w \
        + x.clamp(0, grid_w - 1).long()
    rows = functional.embedding(cell, tokens.reshape(-1, channels))
    return rows * inside.unsqueeze(-1).to(rows.dtype)


class _TrajectoryGatherFunction(torch.autograd.Function):
    """Autograd wrapper around the C++ kernels (forward gather, backward scatter-add)."""

    @staticmethod
    def forward(ctx, tokens: torch.Tensor, locations: torch.Tensor,
                frames: torch.Tensor) -> torch.Tensor:
        ext = loaded_extension()
        ctx.save_for_backward(locations, frames)
        ctx.token_shape = tokens.shape
        return ext.forward(tokens.contiguous(), locations.contiguous(), frames.contiguous())

    @staticmethod
    def backward(ctx, grad_out: torch.Tensor):
        locations, frames = ctx.saved_tensors
        grad_tokens = None
        if ctx.needs_input_grad[0]:
            n, num_frames, grid_h, grid_w, _ = ctx.token_shape
            grad_tokens = loaded_extension().backward(
                grad_out.contiguous(), locations, frames, num_frames, grid_h, grid_w)
        return grad_tokens, None, None


def trajectory_gather(tokens: torch.Tensor, locations: torch.Tensor,
                      frames: torch.Tensor | None = None,
                      backend: str = 'auto') -> torch.Tensor:
    """Read the token at each trajectory's location in a keyframe (TTVSR's ``LTAM.forward``).

    For batch item b, read k and position (i, j), with ``(x, y)`` the rounded
    ``locations[b, k, :, i, j]`` and ``f = frames[b, k, i, j]`` (or ``f = k`` without
    ``frames``), the result is ``tokens[b, f, y, x]`` when ``0 <= x < Ws`` and ``0 <= y < Hs``,
    and zeros otherwise. That is what ``grid_sample(..., mode='nearest', padding_mode='zeros',
    align_corners=True)`` returns on the same coordinates normalised to [-1, 1], except exactly
    at half-integer coordinates, where the normalisation round trip of ``grid_sample`` may round
    either way; TTVSR's location maps only ever hold whole cells (the official
    ``TTVSRNet.forward`` warps them with nearest sampling).

    Args:
        tokens (Tensor): (n, T, Hs, Ws, C) token memory: the C-dimensional token at every cell
            of the token grid of each of T keyframes (channels last, so that one read is one
            contiguous row).
        locations (Tensor): (n, K, 2, H, W) floating-point grid coordinates (x, y) in token
            cells. They receive no gradient: nearest sampling is piecewise constant.
        frames (Tensor, optional): (n, K, H, W) int64, the keyframe each read takes its token
            from. Default None: the k-th read uses keyframe k (K must equal T).
        backend (str): 'auto' (the C++ extension when it is loaded and the tokens are float32
            or float64 CPU tensors, else PyTorch), 'pytorch' or 'cpp' (raises if the extension
            is not loaded). Default 'auto'.

    Returns:
        Tensor: (n, K, H, W, C) gathered tokens, differentiable with respect to ``tokens``.
    """
    _check_shapes(tokens, locations, frames)
    if backend not in ('auto', 'pytorch', 'cpp'):
        raise ValueError(f"trajectory_gather: backend must be 'auto', 'pytorch' or 'cpp', "
                         f'got {backend!r}')
    use_cpp = backend == 'cpp' or (backend == 'auto' and loaded_extension() is not None
                                   and tokens.device.type == 'cpu'
                                   and tokens.dtype in (torch.float32, torch.float64))
    if not use_cpp:
        return trajectory_gather_pytorch(tokens, locations, frames)
    if loaded_extension() is None:
        raise RuntimeError('trajectory_gather: backend="cpp" but the C++ extension is not '
                           'loaded; call projects.ttvsr.ops.build_ext() first (see '
                           'projects/ttvsr/README.md, "The trajectory gather op")')
    if tokens.device.type != 'cpu':
        raise RuntimeError('trajectory_gather: the C++ extension has CPU kernels only; use '
                           f"backend='pytorch' for tokens on {tokens.device}")
    frame = _frame_indices(locations, frames)
    return _TrajectoryGatherFunction.apply(tokens, locations.detach(), frame)
