"""convert_official.py and compare_official.py of the AdaFocusV2 project."""
from __future__ import annotations

import os

import pytest
import torch
import torchvision
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope

import projects.adafocus_v2  # noqa: F401
from tests.conftest import REPO_ROOT, load_tool

CONFIG = (f'{REPO_ROOT}/projects/adafocus_v2/configs/'
          'adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py')
# (t, c, n, s) of the official models/mobilenet_v2.py
MBV2 = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
        (6, 160, 3, 2), (6, 320, 1, 1))


def bn(prefix: str, channels: int) -> dict:
    return {f'{prefix}.weight': torch.randn(channels), f'{prefix}.bias': torch.randn(channels),
            f'{prefix}.running_mean': torch.randn(channels),
            f'{prefix}.running_var': torch.rand(channels) + 0.5,
            f'{prefix}.num_batches_tracked': torch.tensor(7)}


def official_state_dict(prefix: str = '', frames: int = 16, classes: int = 200) -> dict:
    """Names and shapes of the official ``AdaFocus`` (ActivityNet design, MobileNetV2 glance):
    models/mobilenet_v2.py's ``features`` (conv, BN, ReLU6 Sequentials), torchvision's
    ResNet-50 names for models/resnet.py, ``PolicySTN``, ``PoolingClassifier`` and the two
    auxiliary heads."""
    torch.manual_seed(0)
    state = {'features.0.0.weight': torch.randn(32, 3, 3, 3), **bn('features.0.1', 32)}
    inp, index = 32, 1
    for t, c, n, _ in MBV2:
        for _ in range(n):
            hidden, p = inp * t, f'features.{index}.conv'
            layers = [] if t == 1 else [(inp, 1, 1)]
            layers += [(1, 3, 3), (hidden, 1, 1)]
            outs = [hidden] * (len(layers) - 1) + [c]
            for k, ((cin, kh, kw), out) in enumerate(zip(layers, outs, strict=True)):
                state[f'{p}.{3 * k}.weight'] = torch.randn(out, cin, kh, kw)
                state.update(bn(f'{p}.{3 * k + 1}', out))
            inp, index = c, index + 1
    state['features.18.0.weight'] = torch.randn(1280, 320, 1, 1)
    state.update(bn('features.18.1', 1280))
    state['classifier.weight'] = torch.randn(1000, 1280)
    state['classifier.bias'] = torch.randn(1000)
    state = {f'global_CNN.{k}': v for k, v in state.items()}
    resnet = torchvision.models.resnet50().state_dict()
    state.update({f'local_CNN.{k}': v for k, v in resnet.items()})
    state['policy_stn.encoder.0.weight'] = torch.randn(64, 1280, 1, 1)
    state.update(bn('policy_stn.encoder.1', 64))
    state['policy_stn.encoder.4.weight'] = torch.randn(2048, 64 * 49)
    state['policy_stn.encoder.4.bias'] = torch.randn(2048)
    state.update(bn('policy_stn.encoder.5', 2048))
    for name, shape in (('weight_ih_l0', (6144, 2048)), ('weight_hh_l0', (6144, 2048)),
                        ('bias_ih_l0', (6144,)), ('bias_hh_l0', (6144,))):
        state[f'policy_stn.gru.{name}'] = torch.randn(shape)
    state['policy_stn.fc.0.weight'] = torch.randn(2, 2048)
    state['policy_stn.fc.0.bias'] = torch.tensor([0.25, -0.75])
    state['classifier.mlp.layers.0.weight'] = torch.randn(4096, 1280 + 2048)
    state['classifier.mlp.layers.0.bias'] = torch.randn(4096)
    state.update(bn('classifier.mlp.layers.1', 4096))
    for t in range(frames):
        state[f'classifier.classifiers.{t}.1.weight'] = torch.randn(classes, 4096)
        state[f'classifier.classifiers.{t}.1.bias'] = torch.randn(classes)
    for head, width in (('global_CNN_fc', 1280), ('local_CNN_fc', 2048)):
        state[f'{head}.1.weight'] = torch.randn(classes, width)
        state[f'{head}.1.bias'] = torch.randn(classes)
    return {prefix + k: v for k, v in state.items()}


def build_model():
    init_default_scope('mmaction')
    return MODELS.build(Config.fromfile(CONFIG).model)


@pytest.mark.parametrize('prefix', ['', 'module.'])
def test_official_checkpoint_loads_strictly(prefix):
    tool = load_tool('projects/adafocus_v2/tools/convert_official.py')
    official = official_state_dict(prefix)
    model = build_model()
    model.load_state_dict(tool.convert_state_dict(official), strict=True)
    ours = model.state_dict()
    pairs = {
        'global_CNN.features.0.1.running_var': 'global_encoder.conv1.bn.running_var',
        'global_CNN.features.1.conv.3.weight': 'global_encoder.layer1.0.conv.1.conv.weight',
        'global_CNN.features.9.conv.4.bias': 'global_encoder.layer4.2.conv.1.bn.bias',
        'global_CNN.features.17.conv.6.weight': 'global_encoder.layer7.0.conv.2.conv.weight',
        'global_CNN.features.18.0.weight': 'global_encoder.conv2.conv.weight',
        'local_CNN.layer3.5.bn2.running_mean': 'local_encoder.layer3.5.conv2.bn.running_mean',
        'local_CNN.layer4.0.downsample.0.weight': 'local_encoder.layer4.0.downsample.conv.weight',
        'policy_stn.encoder.4.weight': 'policy.mlp.0.weight',
        'policy_stn.gru.weight_hh_l0': 'policy.gru.weight_hh_l0',
        'classifier.classifiers.15.1.bias': 'classifier.heads.15.1.bias',
        'local_CNN_fc.1.weight': 'local_encoder_fc.1.weight',
    }
    for theirs, mine in pairs.items():
        torch.testing.assert_close(ours[mine], official[prefix + theirs])
    # The official action is (row, column), this project's (x, y): the rows are swapped.
    assert ours['policy.head.0.bias'].tolist() == [-0.75, 0.25]
    torch.testing.assert_close(ours['policy.head.0.weight'],
                               official[prefix + 'policy_stn.fc.0.weight'].flip(0))


def test_unknown_keys_are_an_error():
    tool = load_tool('projects/adafocus_v2/tools/convert_official.py')
    for key in ('global_CNN.features.19.0.weight', 'policy_stn.lstm.weight',
                'local_CNN.layer1.0.se.weight'):
        with pytest.raises(KeyError, match='Unknown AdaFocusV2 key'):
            tool.convert_state_dict({key: torch.zeros(1)})


STH_CONFIG = (f'{REPO_ROOT}/projects/adafocus_v2/configs/'
              'adafocusv2-tsm_mbv2-r50_p128_4xb8-8x1x1-50e_sthv1-rgb.py')


def official_sth_state_dict(classes: int = 174) -> dict:
    """Names and shapes of the official Sth-Sth / Jester ``AdaFocus`` (main.py): two TSM
    ``TSN`` wrappers (the shift wraps the first Conv2d of every MobileNetV2 block with an
    expansion and a residual, and ``conv1`` of every ResNet-50 bottleneck; the ImageNet
    classifiers replaced by dropout), ``new_fc``/``new_new_fc`` heads, ``policy_stn``."""
    glance = official_state_dict()
    state = {}
    inp, index = 32, 1
    shifted = set()
    for t, c, n, s in MBV2:
        for i in range(n):
            if t != 1 and (s if i == 0 else 1) == 1 and inp == c:
                shifted.add(index)
            inp, index = c, index + 1
    for key, value in glance.items():
        if not key.startswith('global_CNN.features.'):
            continue
        parts = key.split('.')
        if int(parts[2]) in shifted and parts[3:5] == ['conv', '0']:
            key = '.'.join(parts[:5] + ['net'] + parts[5:])
        state[key.replace('global_CNN.', 'global_CNN.base_model.')] = value
    for key, value in torchvision.models.resnet50().state_dict().items():
        if key.startswith('fc.'):
            continue
        key = key.replace('.conv1.', '.conv1.net.') if key.startswith('layer') else key
        state[f'local_CNN.base_model.{key}'] = value
    for cnn, width in (('global_CNN', 1280), ('local_CNN', 2048)):
        for fc in ('new_fc', 'new_new_fc'):
            state[f'{cnn}.{fc}.weight'] = torch.randn(classes, width)
            state[f'{cnn}.{fc}.bias'] = torch.randn(classes)
    state['policy_stn.0.weight'] = torch.randn(64, 8 * 1280, 1, 1)
    state.update(bn('policy_stn.1', 64))
    state['policy_stn.4.weight'] = torch.randn(1024, 64 * 49)
    state['policy_stn.4.bias'] = torch.randn(1024)
    state.update(bn('policy_stn.5', 1024))
    state['policy_stn.7.weight'] = torch.randn(512, 1024)
    state['policy_stn.7.bias'] = torch.randn(512)
    state.update(bn('policy_stn.8', 512))
    state['policy_stn.10.weight'] = torch.randn(2, 512)
    state['policy_stn.10.bias'] = torch.tensor([0.5, -1.5])
    return state


def test_official_sth_checkpoint_loads_strictly():
    tool = load_tool('projects/adafocus_v2/tools/convert_official.py')
    official = official_sth_state_dict()
    init_default_scope('mmaction')
    model = MODELS.build(Config.fromfile(STH_CONFIG).model)
    model.load_state_dict(tool.convert_state_dict(official), strict=True)
    ours = model.state_dict()
    pairs = {
        # features.3 is block 2 of stage 2: expansion and a residual, so it is shifted.
        'global_CNN.base_model.features.3.conv.0.net.weight':
            'global_encoder.layer2.1.conv.0.net.conv.weight',
        'global_CNN.base_model.features.3.conv.1.running_var':
            'global_encoder.layer2.1.conv.0.net.bn.running_var',
        'global_CNN.base_model.features.3.conv.3.weight':
            'global_encoder.layer2.1.conv.1.conv.weight',
        'global_CNN.base_model.features.2.conv.0.weight':  # stride 2: not shifted
            'global_encoder.layer2.0.conv.0.conv.weight',
        'local_CNN.base_model.layer2.3.conv1.net.weight':
            'local_encoder.layer2.3.conv1.conv.net.weight',
        'local_CNN.base_model.layer2.3.bn1.bias': 'local_encoder.layer2.3.conv1.bn.bias',
        'global_CNN.new_fc.weight': 'classifier.global_fc.1.weight',
        'local_CNN.new_new_fc.bias': 'local_encoder_fc.1.bias',
        'policy_stn.7.weight': 'policy.mlp.3.weight',
        'policy_stn.8.running_mean': 'policy.mlp.4.running_mean',
    }
    for theirs, mine in pairs.items():
        torch.testing.assert_close(ours[mine], official[theirs])
    assert ours['policy.head.0.bias'].tolist() == [-1.5, 0.5]  # (row, column) → (x, y)


def test_official_resnet_glance_checkpoint_loads_strictly():
    """The "RN" checkpoints (``--glance_arch res50``): torchvision ResNet-50 names under
    ``global_CNN.`` (its ImageNet ``fc`` dropped), a 2048x3x3 policy input."""
    tool = load_tool('projects/adafocus_v2/tools/convert_official.py')
    official = {k: v for k, v in official_state_dict().items()
                if not k.startswith('global_CNN.')}
    resnet = torchvision.models.resnet50().state_dict()
    official.update({f'global_CNN.{k}': v for k, v in resnet.items()})
    official['policy_stn.encoder.0.weight'] = torch.randn(64, 2048, 1, 1)
    official['policy_stn.encoder.4.weight'] = torch.randn(2048, 64 * 9)
    official['classifier.mlp.layers.0.weight'] = torch.randn(4096, 2048 + 2048)
    official['global_CNN_fc.1.weight'] = torch.randn(200, 2048)
    init_default_scope('mmaction')
    model = MODELS.build(Config.fromfile(
        f'{REPO_ROOT}/projects/adafocus_v2/configs/'
        'adafocusv2_r50-r50_p96_4xb8-16x1x1-50e_activitynet-rgb.py').model)
    model.load_state_dict(tool.convert_state_dict(official), strict=True)
    torch.testing.assert_close(model.state_dict()['global_encoder.layer2.1.conv3.bn.bias'],
                               official['global_CNN.layer2.1.bn3.bias'])


@pytest.mark.skipif(not os.environ.get('ADAFOCUS_OFFICIAL_REPO'),
                    reason='set ADAFOCUS_OFFICIAL_REPO to a checkout of LeapLabTHU/AdaFocusV2')
@pytest.mark.parametrize('options', [[], ['--glance', 'res50'], ['--plain-layout'],
                                     ['--design', 'sth']])
def test_matches_the_official_code(options, capsys):
    tool = load_tool('projects/adafocus_v2/tools/compare_official.py')
    status = tool.main(['--official-repo', os.environ['ADAFOCUS_OFFICIAL_REPO'], '--frames',
                        '2', '--batch', '1', *options])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith('max_abs_diff=')
    assert status == 0, last
    if options == ['--plain-layout']:
        assert last == 'max_abs_diff=0.000e+00'  # the official layout: the same kernels
