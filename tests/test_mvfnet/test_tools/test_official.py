"""convert_official.py and compare_official.py."""
import os

import pytest
import torch
import torchvision
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope

import projects.mvfnet  # noqa: F401
from tests.conftest import load_tool

CONFIG = ('projects/mvfnet/configs/'
          'mvfnet_imagenet-pretrained-r50_8xb12-4x16x1-150e_kinetics400-rgb.py')


def official_state_dict(prefix: str = '') -> dict:
    """Parameter names and shapes of an official MVFNet-R50 (mvf_freq (0, 0, 1, 1), THW):
    torchvision's ResNet names (the official backbone's), the wrapped conv1 as ``conv1.net``
    beside the MVF's ``shift_conv``/``h_conv``/``w_conv``/``bn`` (official MVF.py), and the
    ``new_fc`` of the official TSNClsHead."""
    torch.manual_seed(0)
    state = {}
    for key, value in torchvision.models.resnet50().state_dict().items():
        if key.startswith('fc.'):
            continue
        parts = key.split('.')
        if parts[0] in ('layer3', 'layer4') and parts[2] == 'conv1':
            block = '.'.join(parts[:2])
            state[f'{block}.conv1.net.weight'] = value
            c1 = value.shape[1] // 8
            for name, shape in (('shift_conv', (3, 1, 1)), ('h_conv', (1, 3, 1)),
                                ('w_conv', (1, 1, 3))):
                state[f'{block}.conv1.{name}.weight'] = torch.randn(c1, 1, *shape)
            for name in ('weight', 'bias', 'running_mean', 'running_var'):
                state[f'{block}.conv1.bn.{name}'] = torch.randn(c1)
            state[f'{block}.conv1.bn.num_batches_tracked'] = torch.tensor(3)
        else:
            state[key] = value + torch.randn_like(value.float()).to(value.dtype)
    state = {f'{prefix}backbone.{k}': v for k, v in state.items()}
    state[f'{prefix}cls_head.new_fc.weight'] = torch.randn(400, 2048)
    state[f'{prefix}cls_head.new_fc.bias'] = torch.randn(400)
    return state


def build_model():
    cfg = Config.fromfile(CONFIG)
    cfg.model.backbone.pretrained = None
    init_default_scope('mmaction')
    return MODELS.build(cfg.model)


@pytest.mark.parametrize('prefix', ['', 'module.'])
def test_converted_keys_load_strictly_into_the_paper_model(prefix):
    tool = load_tool('projects/mvfnet/tools/convert_official.py')
    official = official_state_dict(prefix)
    converted = tool.convert_state_dict(official)
    model = build_model()
    model.load_state_dict(converted, strict=True)
    pairs = {
        'backbone.conv1.weight': 'backbone.conv1.conv.weight',
        'backbone.bn1.running_var': 'backbone.conv1.bn.running_var',
        'backbone.layer1.0.downsample.1.weight': 'backbone.layer1.0.downsample.bn.weight',
        'backbone.layer2.3.conv1.weight': 'backbone.layer2.3.conv1.conv.weight',
        'backbone.layer3.4.conv1.net.weight': 'backbone.layer3.4.conv1.conv.net.weight',
        'backbone.layer3.4.bn1.bias': 'backbone.layer3.4.conv1.bn.bias',
        'backbone.layer4.2.conv1.w_conv.weight': 'backbone.layer4.2.conv1.conv.w_conv.weight',
        'backbone.layer4.2.conv1.bn.running_mean':
            'backbone.layer4.2.conv1.conv.bn.running_mean',
        'cls_head.new_fc.weight': 'cls_head.fc_cls.weight',
    }
    state = model.state_dict()
    for theirs, ours in pairs.items():
        torch.testing.assert_close(state[ours], official[prefix + theirs])


def test_unknown_keys_are_an_error():
    tool = load_tool('projects/mvfnet/tools/convert_official.py')
    state = official_state_dict()
    state['backbone.layer3.0.conv1.tsm.weight'] = torch.zeros(1)
    with pytest.raises(KeyError, match='layer3.0.conv1.tsm'):
        tool.convert_state_dict(state)


def test_command_line(tmp_path):
    tool = load_tool('projects/mvfnet/tools/convert_official.py')
    src, dst = str(tmp_path / 'official.pth'), str(tmp_path / 'ours.pth')
    torch.save({'state_dict': official_state_dict('module.'), 'meta': {'epoch': 150}}, src)
    tool.main([src, dst])
    model = build_model()
    model.load_state_dict(torch.load(dst)['state_dict'], strict=True)


@pytest.mark.skipif(not os.environ.get('MVFNET_OFFICIAL_REPO'),
                    reason='set MVFNET_OFFICIAL_REPO to a checkout of whwu95/MVFNet')
@pytest.mark.parametrize('args', [[], ['--mode', 'T'], ['--mode', 'TH', '--share']])
def test_matches_the_official_code(args, capsys):
    tool = load_tool('projects/mvfnet/tools/compare_official.py')
    status = tool.main(['--official-repo', os.environ['MVFNET_OFFICIAL_REPO'], '--size', '64',
                        *args])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith('max_abs_diff=')
    assert status == 0, last
