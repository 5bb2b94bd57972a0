"""The sphere tracer and the differentiable hit point on analytic SDFs."""
import pytest
import torch

from projects.phorhum.models.rendering import (
    min_sdf_along_rays,
    pixel_grid,
    project_front,
    sdf_gradient,
    sphere_trace,
    surface_point,
    view_rays,
)


def sphere_sdf(center: torch.Tensor, radius: torch.Tensor, scale: float = 1.0):
    return lambda p: scale * ((p - center).norm(dim=-1) - radius)


def rays(view='front'):
    uv = torch.tensor([[[0.0, 0.0], [0.2, -0.1], [-0.3, 0.25], [0.9, 0.9]]])
    return uv, *view_rays(uv, view)


@pytest.mark.parametrize('view', ['front', 'back'])
def test_sphere_trace_hits_an_analytic_sphere(view):
    center, radius = torch.tensor([0.1, -0.05, 0.0]), torch.tensor(0.5)
    uv, origins, dirs = rays(view)
    t, hit = sphere_trace(sphere_sdf(center, radius), origins, dirs, 0.5, 2.5)
    x = origins + t[..., None] * dirs
    assert hit.tolist() == [[True, True, True, False]]
    # The exact first intersection: the ray (x, y) fixed, z on the camera's side.
    xy = x[0, :3, :2]
    dz = (radius ** 2 - ((xy - center[:2]) ** 2).sum(-1)).sqrt()
    sign = 1 if view == 'front' else -1
    torch.testing.assert_close(x[0, :3, 2], sign * dz, atol=2e-3, rtol=0)
    # The front view sees x = u, the back view x = -u; both see y = -v.
    torch.testing.assert_close(xy, torch.stack([sign * uv[0, :3, 0], -uv[0, :3, 1]], -1))


def test_fallback_finds_the_crossing_when_the_sdf_overestimates():
    # d scaled by 3 overshoots into the sphere; the secant fallback must still find it.
    center, radius = torch.zeros(3), torch.tensor(0.5)
    _, origins, dirs = rays()
    t, hit = sphere_trace(sphere_sdf(center, radius, 3.0), origins, dirs, 0.5, 2.5, steps=4)
    x = origins + t[..., None] * dirs
    assert hit[0, :3].all()
    torch.testing.assert_close(x[0, :3].norm(dim=-1), torch.full((3,), 0.5), atol=1e-3, rtol=0)


@pytest.mark.parametrize('param', ['radius', 'center'])
def test_hit_point_gradient_matches_finite_differences(param):
    center = torch.tensor([0.1, -0.05, 0.05], dtype=torch.float64, requires_grad=True)
    radius = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    uv = torch.tensor([[[0.2, -0.1], [-0.15, 0.3]]], dtype=torch.float64)
    origins, dirs = view_rays(uv, 'front')

    def hit_point(c, r):
        sdf = sphere_sdf(c, r)
        t, hit = sphere_trace(sdf, origins, dirs, 0.5, 2.5, steps=64, eps=1e-9)
        assert hit.all()
        return surface_point(sdf, origins + t[..., None] * dirs, dirs)

    x = hit_point(center, radius)
    target = radius if param == 'radius' else center
    # Gradient of the sum of the hit depths, by autograd through the IDR correction ...
    (grad,) = torch.autograd.grad(x[..., 2].sum(), target)
    # ... and by central differences of the traced (non-differentiable) hits.
    h = 1e-5
    numeric = torch.zeros_like(target)
    for i in range(target.numel()):
        step = torch.zeros_like(target).reshape(-1)
        step[i] = h
        step = step.reshape(target.shape)
        with torch.no_grad():
            args_plus = (center + step, radius) if param == 'center' else (center, radius + step)
            args_minus = (center - step, radius) if param == 'center' else (center, radius - step)
            diff = hit_point(*args_plus)[..., 2].sum() - hit_point(*args_minus)[..., 2].sum()
        numeric.reshape(-1)[i] = diff / (2 * h)
    torch.testing.assert_close(grad, numeric, atol=1e-5, rtol=1e-4)
    assert grad.abs().max() > 0.1


def test_autograd_normal_of_an_analytic_sdf_is_the_analytic_normal():
    center = torch.tensor([0.2, 0.1, -0.1])
    points = torch.randn(1, 50, 3).requires_grad_(True)
    d = sphere_sdf(center, torch.tensor(0.3))(points)
    normal = sdf_gradient(d, points, create_graph=False)
    expected = (points - center) / (points - center).norm(dim=-1, keepdim=True)
    torch.testing.assert_close(normal, expected.detach())


def test_min_sdf_along_rays_is_negative_exactly_for_rays_that_enter():
    _, origins, dirs = rays()
    m = min_sdf_along_rays(sphere_sdf(torch.zeros(3), torch.tensor(0.5)), origins, dirs,
                           0.5, 2.5, samples=64)
    assert (m[0, :3] < 0).all() and m[0, 3] > 0


def test_projection_and_pixel_grid_agree():
    # A point on the front ray of pixel (row 1, col 2) projects back to that pixel's centre.
    grid = pixel_grid(4, 5)
    origins, _ = view_rays(grid, 'front')
    point = origins[1 * 5 + 2] * torch.tensor([1.0, 1.0, 0.1])
    torch.testing.assert_close(project_front(point), grid[1 * 5 + 2])
    with pytest.raises(ValueError, match='view'):
        view_rays(grid, 'side')
