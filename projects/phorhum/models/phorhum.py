"""PHORHUM (Alldieck, Zanfir and Sminchisescu, "Photorealistic Monocular 3D Reconstruction of
Humans Wearing Clothing", CVPR 2022) and its PIFu-style baseline in the same class."""
from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F  # noqa: N812
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement

from ..registry import MODELS
from . import losses as L  # noqa: N812
from .rendering import (
    VIEWS,
    min_sdf_along_rays,
    pixel_grid,
    project_front,
    sdf_gradient,
    sphere_trace,
    surface_point,
    view_rays,
)

DEFAULT_WEIGHTS = dict(surface=1.0, normal=0.1, eikonal=0.1, inside=0.5, albedo=1.0,
                       shaded=1.0, render_l1=1.0, render_perceptual=0.1, mask=0.1)
DEFAULT_RENDER = dict(patch_size=16, views=VIEWS, steps=16, samples=32, mask_samples=16)


def build_in_scope(cfg: dict):
    """Builds a component of this scope unless ``cfg`` names another (``_scope_``)."""
    return MODELS.build(dict(cfg, _scope_=cfg.get('_scope_', 'phorhum')))


def _stack(samples: Sequence[BaseDataElement], key: str) -> torch.Tensor:
    try:
        return torch.stack([s.get(key) for s in samples]).float()
    except TypeError as err:
        raise KeyError(f'data sample lacks {key!r}: the pipeline must end with '
                       'PackPhorhumInputs over LoadScanRender') from err


@MODELS.register_module()
class PHORHUM(BaseModel):
    """Pixel-aligned SDF + albedo, a global illumination code and a shading network.

    Paper Sec. 3 (overview figure): G gives pixel-aligned features z_x and, from its
    bottleneck, the illumination code l; f(x, z_x) gives the signed distance d and albedo a;
    n = ∇d; s(n, l) gives the shading and the shaded colour is a ⊙ s (the product is recalled,
    not confirmed). Training combines 3D losses on scan samples with patch rendering losses:
    rays through image patches of the front and back views are sphere-traced to the surface
    (IDR's differentiable hit point) and the rendered albedo and shaded patches are compared
    with the ground-truth renders by L1 and a perceptual term.

    With ``shading=None`` the model is the PIFu-style baseline (Saito et al., ICCV 2019, with
    an SDF): f's colour is the shaded colour itself, supervised by the shaded ground truth,
    with no illumination code. With ``render=None`` the rendering losses are off (the paper's
    ablation).

    Args:
        encoder (dict): G, e.g. ``dict(type='FeatureUNet')``.
        implicit (dict): f, e.g. ``dict(type='ImplicitNetwork')``; ``feat_channels`` is
            filled in from the encoder.
        shading (dict, optional): s, e.g. ``dict(type='ShadingNetwork')``; ``light_dim`` is
            filled in. None gives the PIFu-style baseline. Defaults to
            ``dict(type='ShadingNetwork')``.
        render (dict, optional): Patch rendering losses: ``patch_size`` (16), ``views``
            (('front', 'back')), sphere-tracing ``steps`` (16), fallback ``samples`` (32),
            ``mask_samples`` (16, for the mask loss). None turns them off.
        perceptual (dict): The perceptual term on rendered patches. Defaults to
            ``dict(type='PatchStructureLoss')``.
        loss_weights (dict, optional): Updates :data:`DEFAULT_WEIGHTS`.
        inside_sharpness (float): k of the inside/outside BCE. Defaults to 50.
        mask_alpha (float): α of the mask loss. Defaults to 50.
        trace_distance (float): Distance of the image planes from the origin. Defaults to 1.5.
        render_size (Sequence[int], optional): (H, W) of the renders in ``predict``. Defaults
            to the input size.
        chunk (int): Rays per chunk in ``predict``. Defaults to 8192.
        data_preprocessor (dict, optional): Defaults to mmengine's ``ImgDataPreprocessor``
            scaling uint8 images to [0, 1].
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self, encoder: dict, implicit: dict,
                 shading: dict | None = dict(type='ShadingNetwork'),  # noqa: B006
                 render: dict | None = None, perceptual: dict | None = None,
                 loss_weights: dict | None = None, inside_sharpness: float = 50.0,
                 mask_alpha: float = 50.0, trace_distance: float = 1.5,
                 render_size: Sequence[int] | None = None, chunk: int = 8192,
                 data_preprocessor: dict | None = None, init_cfg: dict | None = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ImgDataPreprocessor', mean=[0.0] * 3,
                                     std=[255.0] * 3)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.decompose = shading is not None
        if not self.decompose:
            encoder = dict(encoder, light_dim=0)
        self.encoder = build_in_scope(encoder)
        self.implicit = build_in_scope(
            dict(implicit, feat_channels=self.encoder.feat_channels))
        self.shading = build_in_scope(dict(shading, light_dim=self.encoder.light_dim)) \
            if self.decompose else None
        if self.decompose and self.encoder.light_dim <= 0:
            raise ValueError('model.encoder.light_dim must be > 0 when model.shading is set')
        self.render_cfg = None if render is None else {**DEFAULT_RENDER, **render}
        unknown = set(loss_weights or {}) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise KeyError(f'model.loss_weights has unknown keys {sorted(unknown)}; '
                           f'known: {sorted(DEFAULT_WEIGHTS)}')
        self.weights = {**DEFAULT_WEIGHTS, **(loss_weights or {})}
        self.perceptual = build_in_scope(perceptual or dict(type='PatchStructureLoss')) \
            if render is not None else None
        self.inside_sharpness = inside_sharpness
        self.mask_alpha = mask_alpha
        self.distance = trace_distance
        self.render_size = tuple(render_size) if render_size else None
        self.chunk = chunk

    # Fields ------------------------------------------------------------------------------
    def encode(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """G: (B, 3, H, W) images -> feature maps and illumination codes."""
        return self.encoder(inputs)

    def query(self, points: torch.Tensor, feats: torch.Tensor
              ) -> tuple[torch.Tensor, torch.Tensor]:
        """f at (B, N, 3) points with features sampled where they project (pixel alignment)."""
        grid = project_front(points)[:, :, None]
        z = F.grid_sample(feats, grid, align_corners=False)[..., 0].transpose(1, 2)
        return self.implicit(points, z)

    def colours(self, points: torch.Tensor, feats: torch.Tensor, light: torch.Tensor | None,
                create_graph: bool) -> tuple[torch.Tensor, ...]:
        """d, ∇d, albedo and shaded colour at (B, N, 3) points (``points`` must need grad)."""
        d, colour = self.query(points, feats)
        grad = sdf_gradient(d, points, create_graph)
        if not self.decompose:
            return d, grad, colour, colour
        shading = self.shading(F.normalize(grad, dim=-1), light)
        return d, grad, colour, colour * shading

    def _sdf(self, feats: torch.Tensor):
        return lambda points: self.query(points, feats)[0]

    def trace(self, feats: torch.Tensor, origins: torch.Tensor, dirs: torch.Tensor,
              steps: int, samples: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Hit points (no gradient) and hit mask of (B, N) rays."""
        near, far = self.distance - 1.0, self.distance + 1.0
        t, hit = sphere_trace(self._sdf(feats), origins, dirs, near, far, steps, samples)
        return origins + t[..., None] * dirs, hit

    # Losses ------------------------------------------------------------------------------
    def forward(self, inputs: torch.Tensor, data_samples: list | None = None,
                mode: str = 'tensor'):
        """``'loss'``: the weighted loss dict; ``'predict'``: samples with front and back
        renders; ``'tensor'``: (features, illumination code)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.encode(inputs)
        raise RuntimeError(f'Invalid mode {mode!r}; use "loss", "predict" or "tensor".')

    def loss(self, inputs: torch.Tensor, data_samples: list) -> dict[str, torch.Tensor]:
        """3D losses on the scan samples, plus the patch rendering losses if enabled."""
        feats, light = self.encode(inputs)
        raw = self.geometry_losses(feats, light, data_samples)
        if self.render_cfg is not None:
            raw.update(self.render_losses(feats, light, data_samples))
        return {f'loss_{k}': self.weights[k] * v for k, v in raw.items()}

    def geometry_losses(self, feats: torch.Tensor, light: torch.Tensor | None,
                        samples: list) -> dict[str, torch.Tensor]:
        """Surface |d|, normal, eikonal, inside/outside, albedo and shaded L1 (Sec. 3.2)."""
        surf = _stack(samples, 'surface_points').requires_grad_(True)
        d, grad, albedo, shaded = self.colours(surf, feats, light, create_graph=True)
        space = _stack(samples, 'space_points').requires_grad_(True)
        d_space, _ = self.query(space, feats)
        grad_space = sdf_gradient(d_space, space, create_graph=True)
        out = dict(
            surface=L.surface_loss(d),
            normal=L.normal_loss(grad, _stack(samples, 'surface_normals')),
            eikonal=L.eikonal_loss(torch.cat([grad, grad_space], 1)),
            inside=L.inside_outside_loss(d_space, _stack(samples, 'space_inside'),
                                         self.inside_sharpness))
        gt_shaded = _stack(samples, 'surface_shaded')
        if self.decompose:
            out['albedo'] = (albedo - _stack(samples, 'surface_albedo')).abs().mean()
            out['shaded'] = (shaded - gt_shaded).abs().mean()
        else:
            out['shaded'] = (shaded - gt_shaded).abs().mean()
        return out

    def _patches(self, samples: list, view: str, size: int
                 ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """A random patch per sample centred in the mask's bounding box: its pixel coordinates
        (B, P*P, 2) and the ground-truth patches (B, C, P, P)."""
        suffix = '' if view == 'front' else '_back'
        masks = _stack(samples, f'gt_mask{suffix}')
        height, width = masks.shape[-2:]
        size = min(size, height, width)
        grid = pixel_grid(height, width, masks.device).reshape(height, width, 2)
        uvs, crops = [], {k: [] for k in ('albedo', 'shaded', 'mask')}
        for i, sample in enumerate(samples):
            rows, cols = torch.nonzero(masks[i, 0] > 0.5, as_tuple=True)
            if len(rows):
                k = int(torch.randint(len(rows), ()))
                cy, cx = int(rows[k]), int(cols[k])
            else:
                cy, cx = height // 2, width // 2
            y0 = min(max(cy - size // 2, 0), height - size)
            x0 = min(max(cx - size // 2, 0), width - size)
            uvs.append(grid[y0:y0 + size, x0:x0 + size].reshape(-1, 2))
            for key in crops:
                image = sample.get(f'gt_{key}{suffix}').float()
                crops[key].append(image[:, y0:y0 + size, x0:x0 + size])
        return torch.stack(uvs), {k: torch.stack(v) for k, v in crops.items()}

    def render_losses(self, feats: torch.Tensor, light: torch.Tensor | None,
                      samples: list) -> dict[str, torch.Tensor]:
        """Patch rendering losses in each view: L1 and perceptual on rendered albedo and
        shaded patches at the differentiable sphere-traced hits, and the mask loss."""
        cfg = self.render_cfg
        size = cfg['patch_size']
        out = dict(render_l1=0.0, render_perceptual=0.0, mask=0.0)
        for view in cfg['views']:
            uv, gt = self._patches(samples, view, size)
            p = int(uv.shape[1] ** 0.5)
            origins, dirs = view_rays(uv, view, self.distance)
            x0, hit = self.trace(feats, origins, dirs, cfg['steps'], cfg['samples'])
            x = surface_point(self._sdf(feats), x0, dirs)
            _, _, albedo, shaded = self.colours(x, feats, light, create_graph=True)
            valid = hit & (gt['mask'].flatten(1) > 0.5)
            targets = dict(albedo=gt['albedo'], shaded=gt['shaded']) if self.decompose \
                else dict(shaded=gt['shaded'])
            for key, target in targets.items():
                pred = albedo if key == 'albedo' else shaded
                target_rays = target.flatten(2).transpose(1, 2)
                out['render_l1'] = out['render_l1'] + L.masked_l1(pred, target_rays, valid)
                image = (pred * hit[..., None]).transpose(1, 2).reshape(-1, 3, p, p)
                out['render_perceptual'] = out['render_perceptual'] + self._perceptual(
                    image, target * gt['mask'])
            min_sdf = min_sdf_along_rays(self._sdf(feats), origins, dirs, self.distance - 1,
                                         self.distance + 1, cfg['mask_samples'])
            out['mask'] = out['mask'] + L.mask_loss(min_sdf, gt['mask'].flatten(1),
                                                    self.mask_alpha)
        return out

    def _perceptual(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        loss = self.perceptual(pred, target)
        # mmagic's PerceptualLoss returns (perceptual, style), either None when unweighted.
        if isinstance(loss, tuple):
            loss = sum(term for term in loss if term is not None)
        return loss

    # Inference ---------------------------------------------------------------------------
    def render_view(self, feats: torch.Tensor, light: torch.Tensor | None, view: str,
                    size: Sequence[int], steps: int = 24, samples: int = 32
                    ) -> dict[str, torch.Tensor]:
        """Renders the implicit surface: (B, 3, H, W) albedo and shaded, (B, 1, H, W) mask."""
        height, width = size
        uv = pixel_grid(height, width, feats.device).expand(feats.shape[0], -1, -1)
        parts = {k: [] for k in ('albedo', 'shaded', 'mask')}
        for start in range(0, uv.shape[1], self.chunk):
            origins, dirs = view_rays(uv[:, start:start + self.chunk], view, self.distance)
            x0, hit = self.trace(feats, origins, dirs, steps, samples)
            with torch.enable_grad():
                _, _, albedo, shaded = self.colours(x0.requires_grad_(True), feats, light,
                                                    create_graph=False)
            parts['albedo'].append(albedo.detach() * hit[..., None])
            parts['shaded'].append(shaded.detach().clamp(0, 1) * hit[..., None])
            parts['mask'].append(hit[..., None].float())
        return {k: torch.cat(v, 1).transpose(1, 2).reshape(-1, v[0].shape[-1], height, width)
                for k, v in parts.items()}

    def predict(self, inputs: torch.Tensor, data_samples: list | None) -> list:
        """Samples with ``pred_{albedo,shaded,mask}`` (front) and ``..._back`` renders."""
        feats, light = self.encode(inputs)
        size = self.render_size or tuple(inputs.shape[-2:])
        samples = data_samples or [BaseDataElement() for _ in range(inputs.shape[0])]
        for view in VIEWS:
            suffix = '' if view == 'front' else '_back'
            renders = self.render_view(feats, light, view, size)
            for i, sample in enumerate(samples):
                sample.set_data({f'pred_{k}{suffix}': v[i] for k, v in renders.items()})
        return samples
