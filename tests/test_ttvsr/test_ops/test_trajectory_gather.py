"""The trajectory gather against a slow loop reference and against grid_sample.

``grid_sample`` is how the official ``LTAM.forward`` (``ttvsrnet.py``) reads the tokens.
"""
from __future__ import annotations

import pytest
import torch
from torch.nn import functional

from projects.ttvsr.ops import trajectory_gather, trajectory_gather_pytorch


def loop_reference(tokens: torch.Tensor, locations: torch.Tensor,
                   frames: torch.Tensor | None = None) -> torch.Tensor:
    """One read at a time, straight from the definition (differentiable in tokens)."""
    n, num_frames, grid_h, grid_w, channels = tokens.shape
    _, k, _, h, w = locations.shape
    rows = []
    for b in range(n):
        for r in range(k):
            for i in range(h):
                for j in range(w):
                    x = int(torch.round(locations[b, r, 0, i, j]))
                    y = int(torch.round(locations[b, r, 1, i, j]))
                    f = r if frames is None else int(frames[b, r, i, j])
                    if 0 <= x < grid_w and 0 <= y < grid_h:
                        rows.append(tokens[b, f, y, x])
                    else:
                        rows.append(tokens.new_zeros(channels))
    return torch.stack(rows).view(n, k, h, w, channels)


def random_case(n=2, num_frames=3, grid=(4, 5), channels=6, reads=None, dtype=torch.float,
                margin=2, seed=0):
    """Tokens, whole-cell locations reaching ``margin`` cells outside the grid, and frames."""
    gen = torch.Generator().manual_seed(seed)
    grid_h, grid_w = grid
    tokens = torch.randn(n, num_frames, grid_h, grid_w, channels, generator=gen, dtype=dtype)
    k = num_frames if reads is None else reads
    x = torch.randint(-margin, grid_w + margin, (n, k, grid_h, grid_w), generator=gen)
    y = torch.randint(-margin, grid_h + margin, (n, k, grid_h, grid_w), generator=gen)
    locations = torch.stack([x, y], dim=2).to(dtype)
    frames = torch.randint(0, num_frames, (n, k, grid_h, grid_w), generator=gen)
    return tokens, locations, frames


def test_equals_the_loop_reference():
    tokens, locations, _ = random_case()
    out = trajectory_gather_pytorch(tokens, locations)
    assert out.shape == (2, 3, 4, 5, 6)
    torch.testing.assert_close(out, loop_reference(tokens, locations), rtol=0, atol=0)


def test_with_frames_equals_the_loop_reference():
    tokens, locations, frames = random_case(reads=2)
    out = trajectory_gather_pytorch(tokens, locations, frames)
    torch.testing.assert_close(out, loop_reference(tokens, locations, frames), rtol=0, atol=0)


def test_rounds_fractional_locations_to_the_nearest_cell():
    tokens, locations, _ = random_case(margin=0)
    shifted = locations + torch.empty_like(locations).uniform_(-0.4, 0.4)
    torch.testing.assert_close(trajectory_gather_pytorch(tokens, shifted),
                               trajectory_gather_pytorch(tokens, locations), rtol=0, atol=0)


def test_equals_grid_sample_nearest_zeros_align_corners():
    """The official code's read (``LTAM.forward``), on whole cells inside and outside."""
    tokens, locations, _ = random_case()
    n, num_frames, grid_h, grid_w, channels = tokens.shape
    x = 2 * locations[:, :, 0] / (grid_w - 1) - 1
    y = 2 * locations[:, :, 1] / (grid_h - 1) - 1
    grid = torch.stack([x, y], dim=-1).flatten(0, 1)
    maps = tokens.permute(0, 1, 4, 2, 3).flatten(0, 1)
    sampled = functional.grid_sample(maps, grid, mode='nearest', padding_mode='zeros',
                            align_corners=True)
    expected = sampled.view(n, num_frames, channels, grid_h, grid_w).permute(0, 1, 3, 4, 2)
    torch.testing.assert_close(trajectory_gather_pytorch(tokens, locations), expected,
                               rtol=0, atol=0)


@pytest.mark.parametrize('with_frames', [False, True])
def test_gradients_equal_the_loop_reference(with_frames):
    tokens, locations, frames = random_case(reads=None if not with_frames else 4)
    frames = frames if with_frames else None
    weights = torch.randn(tokens.shape[0], locations.shape[1], *tokens.shape[2:])
    grads = []
    for gather in (trajectory_gather_pytorch, loop_reference):
        leaf = tokens.clone().requires_grad_(True)
        (gather(leaf, locations, frames) * weights).sum().backward()
        grads.append(leaf.grad)
    torch.testing.assert_close(grads[0], grads[1])
    # Cells read several times must accumulate, cells never read must get zero.
    assert grads[0].abs().sum() > 0 and (grads[0] == 0).any()


def test_gradcheck_float64():
    tokens, locations, frames = random_case(n=1, num_frames=2, grid=(3, 3), channels=2,
                                            reads=2, dtype=torch.double)
    tokens.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: trajectory_gather_pytorch(t, locations, frames),
                                    (tokens,))


def test_locations_get_no_gradient():
    tokens, locations, _ = random_case()
    locations.requires_grad_(True)
    out = trajectory_gather_pytorch(tokens.requires_grad_(True), locations)
    out.sum().backward()
    assert locations.grad is None


def test_auto_backend_falls_back_to_pytorch_without_the_extension(monkeypatch):
    import projects.ttvsr.ops.build as build
    monkeypatch.setattr(build, '_EXTENSION', None)
    tokens, locations, _ = random_case()
    torch.testing.assert_close(trajectory_gather(tokens, locations),
                               trajectory_gather_pytorch(tokens, locations), rtol=0, atol=0)
    with pytest.raises(RuntimeError, match='build_ext'):
        trajectory_gather(tokens, locations, backend='cpp')


@pytest.mark.parametrize('kwargs,match', [
    (dict(tokens=torch.zeros(1, 2, 3, 3)), r'tokens must be \(n, T, Hs, Ws, C\)'),
    (dict(locations=torch.zeros(1, 2, 3, 3, 3)), r'locations must be \(n, K, 2, H, W\)'),
    (dict(locations=torch.zeros(1, 3, 2, 3, 3)), r'K = T = 2\), got K = 3'),
    (dict(locations=torch.zeros(1, 2, 2, 3, 3, dtype=torch.long)), 'floating-point'),
    (dict(frames=torch.zeros(1, 2, 3, 3)), 'frames must be an int64'),
])
def test_bad_shapes_name_the_argument(kwargs, match):
    args = dict(tokens=torch.zeros(1, 2, 3, 3, 4), locations=torch.zeros(1, 2, 2, 3, 3),
                frames=None)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        trajectory_gather(**args)
