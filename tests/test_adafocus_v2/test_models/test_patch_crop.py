"""The differentiable patch crop against an exact integer crop, and its gradients."""
from __future__ import annotations

import pytest
import torch

from projects.adafocus_v2.models import crop_patches, patch_boxes


@pytest.mark.parametrize('height,width,patch', [(10, 12, 4), (9, 9, 9), (16, 11, 5)])
def test_equals_integer_crop_on_the_pixel_grid(height, width, patch):
    frames = torch.rand(6, 3, height, width)
    corners = torch.tensor([[0, 0], [width - patch, height - patch], [1, 2], [3, 0],
                            [width - patch, 0], [2, height - patch]]).clamp(min=0)
    corners = torch.minimum(corners, torch.tensor([width - patch, height - patch]))
    span = torch.tensor([max(width - patch, 1), max(height - patch, 1)], dtype=torch.float)
    actions = corners / span
    patches = crop_patches(frames, actions, patch)
    assert patches.shape == (6, 3, patch, patch)
    for i, (x, y) in enumerate(corners.tolist()):
        torch.testing.assert_close(patches[i], frames[i, :, y:y + patch, x:x + patch],
                                   rtol=0, atol=1e-5)


def test_between_pixels_it_interpolates_bilinearly():
    frames = torch.arange(20.).view(1, 1, 4, 5)  # value = 5 y + x: linear in both axes
    actions = torch.tensor([[0.25, 0.5]])  # top-left (0.25 * 3, 0.5 * 2) = (0.75, 1.0)
    patch = crop_patches(frames, actions, 2)
    expected = torch.tensor([[5 + 0.75, 5 + 1.75], [10 + 0.75, 10 + 1.75]])
    torch.testing.assert_close(patch[0, 0], expected)


def test_boxes_follow_the_action():
    boxes = patch_boxes(torch.tensor([[0., 0.], [1., 1.], [0.5, 0.25]]), 40, 60, 20)
    expected = torch.tensor([[0., 0., 20., 20.], [40., 20., 60., 40.], [20., 5., 40., 25.]])
    torch.testing.assert_close(boxes, expected)


def test_gradcheck_frames_and_actions():
    frames = torch.rand(2, 2, 6, 7, dtype=torch.double, requires_grad=True)
    # Off the pixel grid, where the bilinear weights are differentiable.
    actions = torch.tensor([[0.33, 0.61], [0.77, 0.13]], dtype=torch.double,
                           requires_grad=True)
    assert torch.autograd.gradcheck(lambda f, a: crop_patches(f, a, 3), (frames, actions))


def test_gradient_reaches_the_action():
    frames = torch.rand(1, 1, 8, 8)
    actions = torch.full((1, 2), 0.4, requires_grad=True)
    crop_patches(frames, actions, 4).sum().backward()
    assert actions.grad is not None and actions.grad.abs().sum() > 0


def test_patch_larger_than_frame_names_the_sizes():
    with pytest.raises(ValueError, match=r'patch_size=20 does not fit in frames of 16x18'):
        crop_patches(torch.rand(1, 3, 16, 18), torch.zeros(1, 2), 20)


def test_one_action_per_frame_is_required():
    with pytest.raises(ValueError, match=r'actions must have shape \(2, 2\)'):
        crop_patches(torch.rand(2, 3, 8, 8), torch.zeros(3, 2), 4)
