"""The losses of PHORHUM (paper Sec. 3.2; exact forms and weights are not confirmed, see the
README) and the patch-structure loss that stands in for the VGG perceptual term."""
from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F  # noqa: N812
from torch import nn

from ..registry import MODELS


def surface_loss(d: torch.Tensor) -> torch.Tensor:
    """Mean |d| on ground-truth surface points: the zero level set passes through them."""
    return d.abs().mean()


def normal_loss(grad: torch.Tensor, normals: torch.Tensor) -> torch.Tensor:
    """Mean ‖∇d/‖∇d‖ - n̄‖ on surface points: the SDF's normal aligns with the scan's."""
    return (F.normalize(grad, dim=-1) - normals).norm(dim=-1).mean()


def eikonal_loss(grad: torch.Tensor) -> torch.Tensor:
    """Mean (‖∇d‖ - 1)^2 (IGR, Gropp et al. 2020): keeps d a distance field."""
    return ((grad.norm(dim=-1) - 1) ** 2).mean()


def inside_outside_loss(d: torch.Tensor, inside: torch.Tensor, sharpness: float
                        ) -> torch.Tensor:
    """BCE between sigmoid(-k d) and the inside label of space samples (fixes the sign)."""
    return F.binary_cross_entropy_with_logits(-sharpness * d, inside.float())


def masked_l1(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean L1 over the entries where ``mask`` (broadcast over the last dim) is true."""
    mask = mask.float()[..., None].expand_as(pred)
    return ((pred - target).abs() * mask).sum() / mask.sum().clamp_min(1)


def mask_loss(min_sdf: torch.Tensor, mask: torch.Tensor, alpha: float) -> torch.Tensor:
    """IDR's silhouette loss (Yariv et al. 2020, Eq. 7): BCE of sigmoid(-α min_t d) vs mask."""
    return F.binary_cross_entropy_with_logits(-alpha * min_sdf, mask.float())


def ssim_map(x: torch.Tensor, y: torch.Tensor, window: int = 3) -> torch.Tensor:
    """(B, C, H', W') SSIM (Wang et al. 2004) over ``window``² box windows, no padding."""
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    mu_x, mu_y = F.avg_pool2d(x, window, 1), F.avg_pool2d(y, window, 1)
    var_x = F.avg_pool2d(x * x, window, 1) - mu_x ** 2
    var_y = F.avg_pool2d(y * y, window, 1) - mu_y ** 2
    cov = F.avg_pool2d(x * y, window, 1) - mu_x * mu_y
    return ((2 * mu_x * mu_y + c1) * (2 * cov + c2)
            / ((mu_x ** 2 + mu_y ** 2 + c1) * (var_x + var_y + c2)))


@MODELS.register_module()
class PatchStructureLoss(nn.Module):
    """Stand-in for the VGG perceptual loss on rendered patches (no VGG weights offline).

    At each scale (average pooling by 1, 2, 4, ...), the L1 distance between the images'
    finite-difference gradients plus (1 - SSIM) over 3x3 windows: like VGG features, both
    compare local structure (edges, contrast) over a neighbourhood rather than pixels alone,
    which is what a per-pixel L1 misses. It is zero exactly when the patches are equal.

    A real perceptual loss replaces it by config for users who have the VGG-19 weights, e.g.
    mmagic's ``dict(type='PerceptualLoss', _scope_='mmagic', layer_weights={'4': 1., '9': 1.},
    norm_img=False, style_weight=0.)`` (the patches are already in [0, 1]).

    Args:
        scales (int): Number of scales. Defaults to 2.
        ssim_weight (float): Weight of the (1 - SSIM) term. Defaults to 1.
    """

    def __init__(self, scales: int = 2, ssim_weight: float = 1.0) -> None:
        super().__init__()
        self.scales = scales
        self.ssim_weight = ssim_weight

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """(B, C, P, P) patches -> scalar loss."""
        loss = pred.new_zeros(())
        for scale in range(self.scales):
            if scale:
                pred, target = F.avg_pool2d(pred, 2), F.avg_pool2d(target, 2)
            for dim in (-1, -2):
                loss = loss + (pred.diff(dim=dim) - target.diff(dim=dim)).abs().mean()
            if min(pred.shape[-2:]) >= 3:
                loss = loss + self.ssim_weight * (1 - ssim_map(pred, target)).mean()
        return loss


def psnr(pred: torch.Tensor, target: torch.Tensor) -> float:
    """PSNR in dB of images in [0, 1]."""
    mse = F.mse_loss(pred.float(), target.float()).clamp_min(1e-10)
    return float(-10 * torch.log10(mse))


def ssim(pred: torch.Tensor, target: torch.Tensor, window: int = 7) -> float:
    """Mean SSIM of (C, H, W) images in [0, 1] over ``window``² box windows."""
    return float(ssim_map(pred[None].float(), target[None].float(), window).mean())


LOSS_NAMES: Sequence[str] = (
    'surface', 'normal', 'eikonal', 'inside', 'albedo', 'shaded', 'render_l1',
    'render_perceptual', 'mask')
