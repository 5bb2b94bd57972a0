"""SlimResNet: the dense architectures, explicit widths, mmpretrain-compatible names."""
from __future__ import annotations

import pytest
import torch
from mmpretrain.registry import MODELS

from projects.sbf_pruner.models import SlimResNet


def params(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize('arch, stages', [('cifar20', (3, 3, 3)), ('cifar56', (9, 9, 9))])
def test_cifar_resnets(arch, stages):
    net = SlimResNet(arch)
    assert [len(getattr(net, n)) for n in net.res_layers] == list(stages)
    out = net(torch.randn(1, 3, 32, 32))
    assert len(out) == 1 and out[0].shape == (1, 64, 8, 8)


def test_same_names_as_mmpretrain_resnet():
    """A SlimResNet with the dense widths takes mmpretrain ResNet checkpoints as they are."""
    ours = SlimResNet('resnet18')
    theirs = MODELS.build(dict(type='ResNet', depth=18))
    assert ours.state_dict().keys() == theirs.state_dict().keys()
    ours.load_state_dict(theirs.state_dict())
    ours.eval(), theirs.eval()
    x = torch.randn(1, 3, 64, 64)
    torch.testing.assert_close(ours(x)[0], theirs(x)[0])


def test_explicit_widths():
    widths = dict(stem=5, stages=[5, 7, 11], blocks=[[[3]] * 3, [[2], [4], [1]], [[6]] * 3])
    net = SlimResNet('cifar20', widths=widths)
    assert net.layer2[2].conv1.out_channels == 1
    assert net.layer1[0].downsample is None  # structure of the dense net, whatever the widths
    assert net(torch.randn(1, 3, 16, 16))[0].shape[1] == 11
    assert params(net) < params(SlimResNet('cifar20'))


@pytest.mark.parametrize('widths, match', [
    (dict(stem=5, stages=[5, 7]), 'keys'),
    (dict(stem=5, stages=[5, 7, 11], blocks=[[[3]] * 3] * 2), 'does not fit'),
    (dict(stem=0, stages=[5, 7, 11], blocks=[[[3]] * 3] * 3), 'at least one'),
])
def test_bad_widths(widths, match):
    with pytest.raises(ValueError, match=match):
        SlimResNet('cifar20', widths=widths)


def test_unknown_arch():
    with pytest.raises(KeyError, match='cifar21'):
        SlimResNet('cifar21')
