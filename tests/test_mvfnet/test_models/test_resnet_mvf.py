"""ResNetMVF: where MVF goes, the C2D and TSM special cases, ImageNet weights, sizes."""
import pytest
import torch
import torchvision
from mmaction.models.backbones import ResNet, ResNetTSM
from mmaction.registry import MODELS

from projects.mvfnet.models import MVF, ResNetMVF

T = 4


def mvf_blocks(model) -> list[str]:
    return sorted(name for name, m in model.named_modules() if isinstance(m, MVF))


@pytest.mark.parametrize('depth,mvf_freq', [
    (18, (0, 0, 1, 1)), (18, (1, 0, 1, 0)), (50, (0, 0, 1, 1)), (50, (1, 1, 1, 1)),
    (101, (0, 0, 1, 1))])
def test_insertion_follows_mvf_freq(depth, mvf_freq):
    model = ResNetMVF(depth, num_segments=T, mvf_freq=mvf_freq)
    blocks = ResNet.arch_settings[depth][1]
    # Every block of every marked stage, wrapping its first convolution (R101: all 23).
    expected = sorted(f'layer{s + 1}.{b}.conv1.conv' for s, on in enumerate(mvf_freq) if on
                      for b in range(blocks[s]))
    assert mvf_blocks(model) == expected
    for name in expected:
        mvf = model.get_submodule(name)
        assert mvf.num_fused == int(mvf.net.in_channels * 0.125)


def test_registered_and_runs():
    model = MODELS.build(dict(type='ResNetMVF', depth=18, num_segments=T))
    model.init_weights()
    x = torch.randn(2 * T, 3, 64, 64)
    assert model(x).shape == (2 * T, 512, 2, 2)


def copy_into(target, source):
    """Loads ``source``'s weights into ``target`` whose wrapped convs add ``.net``."""
    theirs = source.state_dict()
    ours = {}
    for key in target.state_dict():
        plain = key.replace('.conv.net.', '.conv.')
        if plain in theirs:
            ours[key] = theirs[plain] if key not in theirs else theirs[key]
    return target.load_state_dict(ours, strict=False)


@pytest.mark.parametrize('depth', [18, 50])
@pytest.mark.parametrize('train', [False, True])
def test_alpha_zero_equals_c2d(depth, train):
    torch.manual_seed(0)
    c2d = ResNet(depth)
    c2d.init_weights()
    mvf = ResNetMVF(depth, num_segments=T, alpha=0.0, mvf_freq=(1, 1, 1, 1))
    result = copy_into(mvf, c2d)
    assert not result.missing_keys and not result.unexpected_keys
    assert sum(p.numel() for p in mvf.parameters()) == sum(p.numel() for p in c2d.parameters())
    x = torch.randn(2 * T, 3, 64, 64)
    c2d.train(train), mvf.train(train)
    torch.testing.assert_close(mvf(x), c2d(x))


@pytest.mark.parametrize('depth', [18, 50])
@pytest.mark.parametrize('train', [False, True])
def test_fixed_shift_equals_mmaction2_tsm(depth, train):
    """Same weights, same output as mmaction2's ResNetTSM (blockres, shift_div=8)."""
    torch.manual_seed(0)
    tsm = ResNetTSM(depth, num_segments=T, shift_div=8, pretrained2d=False)
    tsm.init_weights()
    mvf = ResNetMVF(depth, num_segments=T, mvf_freq=(1, 1, 1, 1), alpha=2 / 8, mode='T',
                    use_hs=False, fixed_shift=True)
    # TSM's state dict is ours (both wrap conv1.conv as `.net`; the shift is a constant).
    mvf.load_state_dict(tsm.state_dict(), strict=True)
    assert sum(p.numel() for p in mvf.parameters()) == sum(p.numel() for p in tsm.parameters())
    x = torch.randn(2 * T, 3, 64, 64)
    tsm.train(train), mvf.train(train)
    torch.testing.assert_close(mvf(x), tsm(x))


def test_learned_mvf_differs_from_c2d():
    torch.manual_seed(0)
    c2d = ResNet(18)
    mvf = ResNetMVF(18, num_segments=T)
    copy_into(mvf, c2d)
    x = torch.randn(T, 3, 64, 64)
    mvf.eval(), c2d.eval()
    assert not torch.allclose(mvf(x), c2d(x))


def test_loads_torchvision_imagenet_weights(tmp_path):
    """``pretrained`` with torchvision key names reaches the wrapped convolutions."""
    torch.manual_seed(1)
    tv = torchvision.models.resnet18()
    path = str(tmp_path / 'resnet18.pth')
    torch.save(tv.state_dict(), path)
    torch.manual_seed(2)
    model = ResNetMVF(18, num_segments=T, pretrained=path)
    before = model.layer3[0].conv1.conv.shift_conv.weight.clone()
    model.init_weights()
    torch.testing.assert_close(model.layer3[0].conv1.conv.net.weight, tv.layer3[0].conv1.weight)
    torch.testing.assert_close(model.layer1[0].conv1.conv.weight, tv.layer1[0].conv1.weight)
    torch.testing.assert_close(model.layer4[1].conv1.bn.running_var, tv.layer4[1].bn1.running_var)
    # The new MVF parameters keep their own initialisation.
    torch.testing.assert_close(model.layer3[0].conv1.conv.shift_conv.weight, before)


def test_wrong_mvf_freq_length():
    with pytest.raises(ValueError, match='mvf_freq'):
        ResNetMVF(18, mvf_freq=(0, 1, 1))


@pytest.mark.parametrize('kwargs', [dict(temporal_pool=True), dict(shift_div=4),
                                    dict(pretrained2d=True)])
def test_tsm_arguments_are_refused(kwargs):
    with pytest.raises(TypeError, match='ResNetTSM arguments'):
        ResNetMVF(18, **kwargs)
