"""The MVF module: shapes, gradients, modes, weight sharing and its degenerate settings."""
import math

import pytest
import torch
from mmaction.models.backbones.resnet_tsm import TemporalShift
from torch import nn

from projects.mvfnet.models import MVF

T = 4


def make_mvf(channels=16, **kwargs) -> MVF:
    torch.manual_seed(0)
    return MVF(nn.Conv2d(channels, 8, 1, bias=False), T, channels, **kwargs)


@pytest.mark.parametrize('mode,share,convs', [
    ('THW', False, {'shift_conv', 'h_conv', 'w_conv'}),
    ('TH', False, {'shift_conv', 'h_conv'}),
    ('T', False, {'shift_conv'}),
    ('THW', True, {'shift_conv'}),
    ('TH', True, {'shift_conv'}),
])
def test_shapes_views_and_gradients(mode, share, convs):
    mvf = make_mvf(32, alpha=0.25, mode=mode, share=share)
    assert {n for n, m in mvf.named_children() if isinstance(m, nn.Conv3d)} == convs
    x = torch.randn(2 * T, 32, 5, 6, requires_grad=True)
    out = mvf(x)
    assert out.shape == (2 * T, 8, 5, 6)
    out.square().sum().backward()
    for name, p in mvf.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    # Depthwise 3-tap kernels on int(alpha * C) = 8 channels, BN over them.
    assert mvf.shift_conv.weight.shape == (8, 1, 3, 1, 1)
    assert mvf.bn.num_features == 8


def reference(mvf: MVF, x: torch.Tensor) -> torch.Tensor:
    """MVF written out with functional ops, per view (official MVF.forward)."""
    nt, c, h, w = x.shape
    v = x.view(nt // T, T, c, h, w).transpose(1, 2)
    part, rest = v[:, :mvf.num_fused], v[:, mvf.num_fused:]
    k = mvf.num_fused
    kt = mvf.shift_conv.weight
    y = nn.functional.conv3d(part, kt, padding=(1, 0, 0), groups=k)
    if mvf.mode in ('TH', 'THW'):
        kh = kt.view(k, 1, 1, 3, 1) if mvf.share else mvf.h_conv.weight
        y = y + nn.functional.conv3d(part, kh, padding=(0, 1, 0), groups=k)
    if mvf.mode == 'THW':
        kw = kt.view(k, 1, 1, 1, 3) if mvf.share else mvf.w_conv.weight
        y = y + nn.functional.conv3d(part, kw, padding=(0, 0, 1), groups=k)
    y = nn.functional.hardswish(mvf.bn(y))
    v = torch.cat([y, rest], 1).transpose(1, 2).reshape(nt, c, h, w)
    return mvf.net(v)


@pytest.mark.parametrize('mode', ['THW', 'TH', 'T'])
@pytest.mark.parametrize('share', [False, True])
def test_matches_per_view_reference(mode, share):
    mvf = make_mvf(16, alpha=0.5, mode=mode, share=share).eval()
    x = torch.randn(2 * T, 16, 5, 7)
    torch.testing.assert_close(mvf(x), reference(mvf, x))


def test_untouched_channels_pass_unchanged():
    mvf = MVF(nn.Identity(), T, 16, alpha=0.125)
    x = torch.randn(T, 16, 3, 3)
    out = mvf(x)
    assert mvf.num_fused == 2
    torch.testing.assert_close(out[:, 2:], x[:, 2:])
    assert not torch.allclose(out[:, :2], x[:, :2])


def test_alpha_zero_is_the_wrapped_convolution():
    mvf = make_mvf(16, alpha=0.0)
    assert list(mvf.parameters()) == list(mvf.net.parameters())
    x = torch.randn(2 * T, 16, 4, 4)
    torch.testing.assert_close(mvf(x), mvf.net(x))


def test_fixed_shift_is_tsm_temporal_shift():
    """alpha = 2 / shift_div, mode T, no BN/activation, fixed kernels: TSM's shift."""
    mvf = MVF(nn.Identity(), T, 32, alpha=2 / 8, mode='T', use_hs=False, fixed_shift=True)
    assert not list(mvf.parameters()) and not mvf.state_dict()
    x = torch.randn(3 * T, 32, 5, 5)
    torch.testing.assert_close(mvf(x), TemporalShift.shift(x, T, shift_div=8), rtol=0, atol=0)


def test_official_initialisation():
    torch.manual_seed(0)
    mvf = MVF(nn.Identity(), T, 4096, alpha=1.0)
    # N(0, sqrt(2 / (3 * C1))) per kernel (official MVF._initialize_weights).
    for conv in (mvf.shift_conv, mvf.h_conv, mvf.w_conv):
        assert conv.weight.std().item() == pytest.approx(math.sqrt(2 / (3 * 4096)), rel=0.05)
    assert torch.all(mvf.bn.weight == 1) and torch.all(mvf.bn.bias == 0)


@pytest.mark.parametrize('kwargs,match', [
    (dict(mode='HW'), 'mode'),
    (dict(alpha=1.5), 'alpha'),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_mvf(16, **kwargs)
