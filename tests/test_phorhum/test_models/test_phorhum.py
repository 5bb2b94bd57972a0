"""The PHORHUM model, its no-rendering ablation and the PIFu-style baseline on a toy sphere."""
import pytest
import torch
import torch.nn.functional as F  # noqa: N812
from mmengine.structures import BaseDataElement

from projects.phorhum.models import PHORHUM
from projects.phorhum.models.rendering import pixel_grid

SIZE = 16


def tiny(**kwargs) -> PHORHUM:
    torch.manual_seed(0)
    cfg = dict(encoder=dict(type='FeatureUNet', channels=(4, 8), feat_channels=4, light_dim=3),
               implicit=dict(type='ImplicitNetwork', hidden=(16, 16)),
               shading=dict(type='ShadingNetwork', hidden=(8,)),
               render=dict(patch_size=6, steps=8, samples=8, mask_samples=6))
    cfg.update(kwargs)
    return PHORHUM(**cfg)


def sphere_sample(radius: float = 0.6) -> BaseDataElement:
    """Ground truth of a sphere with constant albedo, lit from the front."""
    surface = F.normalize(torch.randn(32, 3), dim=-1)
    space = torch.rand(32, 3) * 2 - 1
    uv = pixel_grid(SIZE, SIZE)
    mask = (uv.norm(dim=-1) < radius).float().reshape(1, SIZE, SIZE)
    colour = torch.tensor([0.8, 0.4, 0.2])[:, None, None] * mask
    fields = dict(surface_points=surface * radius, surface_normals=surface,
                  surface_albedo=torch.full((32, 3), 0.5),
                  surface_shaded=0.5 * surface[:, 2:].clamp_min(0).expand(32, 3),
                  space_points=space, space_inside=(space.norm(dim=-1) < radius).float())
    for suffix in ('', '_back'):
        fields.update({f'gt_albedo{suffix}': colour, f'gt_shaded{suffix}': colour * 0.7,
                       f'gt_mask{suffix}': mask})
    return BaseDataElement(**fields)


@pytest.mark.parametrize('variant', [dict(), dict(render=None), dict(shading=None,
                                                                      render=None)],
                         ids=['phorhum', 'no-render', 'pifu'])
def test_gradients_reach_every_parameter(variant):
    model = tiny(**variant)
    inputs = torch.rand(2, 3, SIZE, SIZE)
    losses = model.loss(inputs, [sphere_sample(), sphere_sample(0.5)])
    expected = {'surface', 'normal', 'eikonal', 'inside', 'shaded'}
    if model.decompose:
        expected.add('albedo')
    if model.render_cfg is not None:
        expected |= {'render_l1', 'render_perceptual', 'mask'}
    assert set(losses) == {f'loss_{k}' for k in expected}
    sum(losses.values()).backward()
    missing = [n for n, p in model.named_parameters()
               if p.grad is None or not torch.isfinite(p.grad).all() or not p.grad.any()]
    assert not missing
    assert (model.shading is None) == ('shading' in variant)


def test_pifu_baseline_has_no_illumination_code():
    model = tiny(shading=None)
    _, light = model.encode(torch.rand(1, 3, SIZE, SIZE))
    assert light is None and model.encoder.light is None


def test_initial_surface_renders_as_a_disc_and_shaded_is_albedo_times_shading():
    model = tiny().eval()
    out = model.render_view(*model.encode(torch.rand(1, 3, SIZE, SIZE)), 'front', (SIZE, SIZE))
    # f starts as the sphere of radius 0.5 (plus a tiny residual): a disc of that radius.
    disc = (pixel_grid(SIZE, SIZE).norm(dim=-1) < 0.5).float().reshape(1, 1, SIZE, SIZE)
    assert (out['mask'] != disc).float().mean() < 0.05
    points = torch.tensor([[[0.0, 0.0, 0.5], [0.3, 0.2, 0.3]]], requires_grad=True)
    feats, light = model.encode(torch.rand(1, 3, SIZE, SIZE))
    _, grad, albedo, shaded = model.colours(points, feats, light, create_graph=False)
    torch.testing.assert_close(shaded, albedo * model.shading(F.normalize(grad, dim=-1), light))


def test_predict_renders_both_views_deterministically():
    model = tiny().eval()
    inputs = torch.rand(2, 3, SIZE, SIZE)
    with torch.no_grad():
        first = model.predict(inputs, None)
        second = model.predict(inputs, None)
    for key in ('pred_albedo', 'pred_shaded', 'pred_mask', 'pred_albedo_back',
                'pred_shaded_back', 'pred_mask_back'):
        assert first[0].get(key).shape[-2:] == (SIZE, SIZE)
        torch.testing.assert_close(first[1].get(key), second[1].get(key))


def test_bad_configuration_is_named():
    with pytest.raises(KeyError, match='loss_weights'):
        tiny(loss_weights=dict(perceptual=1.0))
    with pytest.raises(ValueError, match='light_dim'):
        tiny(encoder=dict(type='FeatureUNet', channels=(4, 8), feat_channels=4, light_dim=0))
    with pytest.raises(KeyError, match='surface_points'):
        tiny().loss(torch.rand(1, 3, SIZE, SIZE), [BaseDataElement()])
