"""The three networks of PHORHUM (paper Sec. 3, overview figure on the project page).

- :class:`FeatureUNet` (G): image -> pixel-aligned feature map and, from its bottleneck, the
  global illumination code l.
- :class:`ImplicitNetwork` (f): (x, z_x) -> signed distance d and colour (albedo; the shaded
  colour in the PIFu-style baseline).
- :class:`ShadingNetwork` (s): (n_x, l) -> RGB shading s_x.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F  # noqa: N812
from torch import nn

from ..registry import MODELS


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1), nn.GroupNorm(min(8, cout), cout), nn.ReLU(True),
        nn.Conv2d(cout, cout, 3, padding=1), nn.GroupNorm(min(8, cout), cout), nn.ReLU(True))


@MODELS.register_module()
class FeatureUNet(nn.Module):
    """G: a U-Net over the image; its decoder output gives the pixel-aligned features z_x.

    The illumination code l is read from the bottleneck (overview figure): global average
    pooling and a linear layer, so it is one code per image shared by all surface points.

    Args:
        in_channels (int): Image channels. Defaults to 3.
        channels (Sequence[int]): Widths of the encoder levels (each halves the resolution
            after the first). Defaults to (16, 32, 64).
        feat_channels (int): Learned channels of z_x (plus the image's with ``image_skip``).
            Defaults to 32.
        light_dim (int): Size of l; 0 builds no illumination head (the PIFu-style
            baseline). Defaults to 16.
        image_skip (bool): Append the input image itself to the features, so that f reads
            the pixel's colour directly rather than through the decoder. Defaults to True.
    """

    def __init__(self, in_channels: int = 3, channels: Sequence[int] = (16, 32, 64),
                 feat_channels: int = 32, light_dim: int = 16,
                 image_skip: bool = True) -> None:
        super().__init__()
        channels = list(channels)
        self.down = nn.ModuleList(
            _block(cin, cout)
            for cin, cout in zip([in_channels] + channels[:-1], channels, strict=True))
        self.up = nn.ModuleList(
            _block(cin + cskip, cskip)
            for cin, cskip in zip(channels[:0:-1], channels[-2::-1], strict=True))
        self.out = nn.Conv2d(channels[0], feat_channels, 1)
        self.light = nn.Linear(channels[-1], light_dim) if light_dim > 0 else None
        self.image_skip = image_skip
        self.feat_channels = feat_channels + (in_channels if image_skip else 0)
        self.light_dim = light_dim

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(B, C, H, W) image -> (B, F, H, W) features and (B, L) code (or None)."""
        skips, x = [], image
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else F.max_pool2d(x, 2))
            skips.append(x)
        light = self.light(x.mean((2, 3))) if self.light is not None else None
        for block, skip in zip(self.up, skips[-2::-1], strict=True):
            x = F.interpolate(x, size=skip.shape[-2:], mode='bilinear', align_corners=False)
            x = block(torch.cat([x, skip], 1))
        feats = self.out(x)
        if self.image_skip:
            feats = torch.cat([feats, image], 1)
        return feats, light


class _MLP(nn.Module):
    """Softplus MLP (as IGR/IDR: a smooth activation keeps ∇d smooth for the normals)."""

    def __init__(self, cin: int, hidden: Sequence[int], cout: int, beta: float) -> None:
        super().__init__()
        dims = [cin, *hidden]
        self.layers = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:], strict=True))
        self.head = nn.Linear(dims[-1], cout)
        self.beta = beta

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = F.softplus(layer(x), beta=self.beta)
        return self.head(x)


@MODELS.register_module()
class ImplicitNetwork(nn.Module):
    """f: (x, z_x) -> (d, colour in [0, 1]), as two MLPs of the same input.

    The distance and the colour have separate hidden layers (as IDR separates its geometry
    and rendering networks): with one shared trunk the second-order geometry losses (eikonal,
    normals) dominated the shared weights and the colour barely learnt.

    ``d`` is a residual over the distance to a sphere of radius ``init_radius``: a stand-in
    for IGR's geometric initialisation (Gropp et al., ICML 2020), which does not carry over
    directly to an MLP whose input also holds image features, so that sphere tracing finds a
    surface from the first iteration.

    Args:
        feat_channels (int): Channels of z_x.
        hidden (Sequence[int]): Hidden widths of each MLP. Defaults to (128, 128, 128).
        init_radius (float): Radius of the initial sphere. Defaults to 0.5.
        beta (float): Softplus sharpness. Defaults to 100.
    """

    def __init__(self, feat_channels: int, hidden: Sequence[int] = (128, 128, 128),
                 init_radius: float = 0.5, beta: float = 100.0) -> None:
        super().__init__()
        self.sdf = _MLP(3 + feat_channels, hidden, 1, beta)
        self.colour = _MLP(3 + feat_channels, hidden, 3, beta)
        self.init_radius = init_radius
        nn.init.normal_(self.sdf.head.weight, std=1e-3)
        nn.init.zeros_(self.sdf.head.bias)

    def forward(self, points: torch.Tensor, feats: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """(..., N, 3) points and (..., N, F) features -> (..., N) d, (..., N, 3) colour."""
        x = torch.cat([points, feats], -1)
        d = self.sdf(x)[..., 0] + points.norm(dim=-1) - self.init_radius
        return d, torch.sigmoid(self.colour(x))


@MODELS.register_module()
class ShadingNetwork(nn.Module):
    """s: (n_x, l) -> RGB shading >= 0 (the albedo is multiplied by it).

    It sees neither the albedo nor z_x, which is what separates albedo from illumination
    (overview figure).

    Args:
        light_dim (int): Size of the illumination code l.
        hidden (Sequence[int]): Hidden widths. Defaults to (64, 64).
    """

    def __init__(self, light_dim: int, hidden: Sequence[int] = (64, 64)) -> None:
        super().__init__()
        self.mlp = _MLP(3 + light_dim, hidden, 3, beta=1.0)

    def forward(self, normals: torch.Tensor, light: torch.Tensor) -> torch.Tensor:
        """(B, N, 3) unit normals and (B, L) codes -> (B, N, 3) shading."""
        light = light[:, None].expand(*normals.shape[:-1], light.shape[-1])
        return F.softplus(self.mlp(torch.cat([normals, light], -1)))
