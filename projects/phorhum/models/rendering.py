"""Orthographic views, sphere tracing and the differentiable surface point.

Conventions (shared by the dataset, the model and the tools): the subject lives in the
normalised cube [-1, 1]^3 with y up. An image pixel has coordinates (u, v) in [-1, 1], u left
to right and v top to bottom, at pixel centres (``align_corners=False``). The camera is
orthographic (the paper's camera model is not confirmed, see the README):

- the *front* (input) view looks along -z: pixel (u, v) sees the ray x = u, y = -v;
- the *back* view looks along +z from behind: pixel (u, v) sees x = -u, y = -v.

Sphere tracing follows IDR (Yariv et al., NeurIPS 2020, Sec. 3.1 and its ray tracer): march
with the signed distance under ``no_grad``; rays that did not converge fall back to sampling
along the ray and a secant search between the first sign change. The hit point is then made
differentiable with respect to the SDF's parameters by the implicit-function correction
(IDR Eq. 3), ``x(θ) = x0 - v (d(x0; θ) - d(x0; θ0)) / (∇d(x0; θ0) · v)``.
"""
from __future__ import annotations

from collections.abc import Callable

import torch

SdfFn = Callable[[torch.Tensor], torch.Tensor]
VIEWS = ('front', 'back')


def pixel_grid(height: int, width: int, device=None) -> torch.Tensor:
    """(H*W, 2) pixel-centre coordinates (u, v) in [-1, 1], row-major."""
    v = (torch.arange(height, device=device, dtype=torch.float32) + 0.5) / height * 2 - 1
    u = (torch.arange(width, device=device, dtype=torch.float32) + 0.5) / width * 2 - 1
    vv, uu = torch.meshgrid(v, u, indexing='ij')
    return torch.stack([uu, vv], -1).reshape(-1, 2)


def view_rays(uv: torch.Tensor, view: str, distance: float = 1.5
              ) -> tuple[torch.Tensor, torch.Tensor]:
    """Origins and unit directions (..., 3) of the orthographic rays through pixels ``uv``.

    Args:
        uv (Tensor): (..., 2) pixel coordinates in [-1, 1].
        view (str): ``'front'`` or ``'back'``.
        distance (float): Distance of the image plane from the origin. Defaults to 1.5.
    """
    if view not in VIEWS:
        raise ValueError(f'view must be one of {VIEWS}, got {view!r}')
    sign = 1.0 if view == 'front' else -1.0
    u, v = uv.unbind(-1)
    origins = torch.stack([sign * u, -v, torch.full_like(u, sign * distance)], -1)
    dirs = torch.zeros_like(origins)
    dirs[..., 2] = -sign
    return origins, dirs


def project_front(points: torch.Tensor) -> torch.Tensor:
    """(..., 2) front-view pixel coordinates (u, v) of points (..., 3): ``(x, -y)``."""
    return torch.stack([points[..., 0], -points[..., 1]], -1)


@torch.no_grad()
def sphere_trace(sdf: SdfFn, origins: torch.Tensor, dirs: torch.Tensor, near: float,
                 far: float, steps: int = 16, samples: int = 32, secant_steps: int = 6,
                 eps: float = 1e-3) -> tuple[torch.Tensor, torch.Tensor]:
    """First intersections of rays with the zero level set of ``sdf``, without gradients.

    Args:
        sdf (Callable): (..., N, 3) points -> (..., N) signed distances, batched like
            ``origins``.
        origins, dirs (Tensor): (..., N, 3) ray origins and unit directions.
        near, far (float): The ray segment searched, as distances along the ray.
        steps (int): Sphere-tracing iterations. Defaults to 16.
        samples (int): Points along the ray of the fallback search. Defaults to 32.
        secant_steps (int): Secant iterations of the fallback. Defaults to 6.
        eps (float): Convergence threshold on |d|. Defaults to 1e-3.

    Returns:
        tuple[Tensor, Tensor]: Distances t (..., N) along the rays and the hit mask (..., N).
    """
    t = torch.full(origins.shape[:-1], near, device=origins.device)
    done = torch.zeros_like(t, dtype=torch.bool)
    for _ in range(steps):
        d = sdf(origins + t[..., None] * dirs)
        # A ray that steps into the surface (d < 0) stops: the fallback finds the crossing.
        done = done | (d.abs() < eps) | (d < 0) | (t > far)
        t = torch.where(done, t, t + d)
    d = sdf(origins + t[..., None] * dirs)
    hit = (d.abs() < eps) & (t <= far)
    # Rays that did not converge fall back (IDR) to the first sign change among samples
    # along the ray and secant steps (a learned SDF may overestimate the distance and step
    # through a thin part), computed over the ray columns that some batch element needs.
    need = ~hit
    if not bool(need.any()):
        return t, hit
    cols = need.reshape(-1, hit.shape[-1]).any(0)
    if not bool(cols.all()):
        sub_t, sub_hit = _fallback(sdf, origins[..., cols, :], dirs[..., cols, :], near, far,
                                   samples, secant_steps)
        use = need[..., cols] & sub_hit
        t[..., cols] = torch.where(use, sub_t, t[..., cols])
        hit[..., cols] = hit[..., cols] | use
        return t, hit
    sub_t, sub_hit = _fallback(sdf, origins, dirs, near, far, samples, secant_steps)
    use = need & sub_hit
    return torch.where(use, sub_t, t), hit | use


def _fallback(sdf: SdfFn, origins: torch.Tensor, dirs: torch.Tensor, near: float, far: float,
              samples: int, secant_steps: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Distances and found mask of the first sign change (+ to -) along each ray."""
    t = torch.zeros(origins.shape[:-1], device=origins.device)
    ts = torch.linspace(near, far, samples, device=origins.device)
    pts = origins[..., None, :] + ts[:, None] * dirs[..., None, :]
    ds = sdf(pts.flatten(-3, -2)).reshape(*t.shape, samples)
    change = (ds[..., :-1] > 0) & (ds[..., 1:] <= 0)
    found = change.any(-1)
    first = torch.where(found, change.float().argmax(-1), torch.zeros_like(t, dtype=torch.long))
    t0, t1 = ts[first], ts[first + 1]
    d0 = ds.gather(-1, first[..., None])[..., 0]
    d1 = ds.gather(-1, first[..., None] + 1)[..., 0]
    for _ in range(secant_steps):
        tm = t0 - d0 * (t1 - t0) / (d1 - d0).clamp_max(-1e-8)
        dm = sdf(origins + tm[..., None] * dirs)
        outside = dm > 0
        t0, d0 = torch.where(outside, tm, t0), torch.where(outside, dm, d0)
        t1, d1 = torch.where(outside, t1, tm), torch.where(outside, d1, dm)
    return t0 - d0 * (t1 - t0) / (d1 - d0).clamp_max(-1e-8), found


def surface_point(sdf: SdfFn, x0: torch.Tensor, dirs: torch.Tensor) -> torch.Tensor:
    """The hit points ``x0`` made differentiable w.r.t. the parameters of ``sdf`` (IDR Eq. 3).

    The value equals ``x0``; the gradient is that of the true intersection, found by implicit
    differentiation of d(x(θ); θ) = 0 along the ray direction.

    Args:
        sdf (Callable): Points -> signed distances, differentiable in its parameters.
        x0 (Tensor): (..., N, 3) hit points found without gradients.
        dirs (Tensor): (..., N, 3) the rays' unit directions.
    """
    x0 = x0.detach().requires_grad_(True)
    with torch.enable_grad():
        d = sdf(x0)
        normal = torch.autograd.grad(d.sum(), x0, retain_graph=True)[0].detach()
    cos = (normal * dirs).sum(-1)
    # Grazing rays make the correction explode; keep the sign, bound the magnitude.
    cos = torch.where(cos < 0, cos.clamp_max(-1e-2), cos.clamp_min(1e-2))
    return x0.detach() - dirs * ((d - d.detach()) / cos)[..., None]


def min_sdf_along_rays(sdf: SdfFn, origins: torch.Tensor, dirs: torch.Tensor, near: float,
                       far: float, samples: int = 16) -> torch.Tensor:
    """(..., N) minimum of the SDF over ``samples`` points along each ray (differentiable).

    The input of IDR's mask loss (IDR Sec. 3.3): negative where the ray enters the surface.
    """
    ts = torch.linspace(near, far, samples, device=origins.device)
    pts = origins[..., None, :] + ts[:, None] * dirs[..., None, :]
    return sdf(pts.flatten(-3, -2)).reshape(*origins.shape[:-1], samples).min(-1).values


def sdf_gradient(d: torch.Tensor, points: torch.Tensor, create_graph: bool) -> torch.Tensor:
    """∇_x d at ``points`` by autograd (the normal direction; Sec. 3 of the paper)."""
    return torch.autograd.grad(d.sum(), points, create_graph=create_graph)[0]
