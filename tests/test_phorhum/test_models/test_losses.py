"""Each loss is zero (or minimal) on the ground truth and positive otherwise."""
import pytest
import torch
import torch.nn.functional as F  # noqa: N812

from projects.phorhum.models import PatchStructureLoss
from projects.phorhum.models import losses as L  # noqa: N812


@pytest.fixture
def sphere():
    torch.manual_seed(0)
    points = torch.randn(64, 3)
    surface = F.normalize(points, dim=-1) * 0.5
    return points, surface


def test_surface_loss(sphere):
    points, surface = sphere
    assert L.surface_loss(surface.norm(dim=-1) - 0.5) < 1e-6
    assert L.surface_loss(surface.norm(dim=-1) - 0.4) == pytest.approx(0.1, abs=1e-6)


def test_normal_loss_ignores_gradient_length_but_not_direction(sphere):
    _, surface = sphere
    normals = surface / 0.5
    assert L.normal_loss(3 * normals, normals) < 1e-6
    assert L.normal_loss(-normals, normals) == pytest.approx(2.0)


def test_eikonal_loss(sphere):
    points, _ = sphere
    unit = F.normalize(points, dim=-1)
    assert L.eikonal_loss(unit) < 1e-10
    assert L.eikonal_loss(2 * unit) == pytest.approx(1.0)


def test_inside_outside_and_mask_losses_vanish_for_a_sharp_true_sdf(sphere):
    points, _ = sphere
    d = points.norm(dim=-1) - 0.5
    d = torch.where(d.abs() < 0.05, 0.05 * d.sign(), d)  # away from the boundary
    inside = d < 0
    assert L.inside_outside_loss(d, inside, 1000.0) < 1e-6
    assert L.inside_outside_loss(-d, inside, 1000.0) > 10
    assert L.mask_loss(d, inside, 1000.0) < 1e-6


def test_masked_l1_counts_only_masked_entries():
    pred, target = torch.zeros(2, 5, 3), torch.zeros(2, 5, 3)
    mask = torch.zeros(2, 5, dtype=torch.bool)
    mask[0, :2] = True
    target[1] = 7.0  # unmasked: ignored
    assert L.masked_l1(pred, target, mask) == 0
    target[0, 0] = 0.6
    assert L.masked_l1(pred, target, mask) == pytest.approx(0.6 * 3 / 6)


@pytest.mark.parametrize('scales', [1, 3])
def test_patch_structure_loss_zero_only_on_equal_patches(scales):
    torch.manual_seed(0)
    loss = PatchStructureLoss(scales=scales)
    patch = torch.rand(2, 3, 16, 16)
    assert loss(patch, patch) < 1e-6
    assert loss(patch, torch.rand(2, 3, 16, 16)) > 0.1
    # Blur keeps the mean but loses the structure: the loss sees it.
    blurred = F.avg_pool2d(patch, 3, 1, 1, count_include_pad=False)
    assert loss(blurred, patch) > 0.1


def test_psnr_and_ssim():
    image = torch.rand(3, 16, 16)
    assert L.ssim(image, image) == pytest.approx(1.0)
    assert L.ssim(image, 1 - image) < 0.5
    assert L.psnr(image, (image + 0.1).clamp(0, 1)) < L.psnr(image, (image + 0.01).clamp(0, 1))
