"""convert_official.py and compare_official.py of the JCA project."""
from __future__ import annotations

import os
import os.path as osp

import pytest
import torch
import torchvision
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

import projects.jca_fusion  # noqa: F401
from tests.conftest import REPO_ROOT, load_tool

AS_CODED = osp.join(REPO_ROOT, 'projects/jca_fusion/configs',
                    'jca-as-coded_r2plus1d-18-r18_1xb96-30e_affwild2-va.py')


def tsav_state_dict(prefix: str = '') -> dict:
    """Names and shapes of the official TSAV two-stream model (models/tsav.py): torchvision's
    r2plus1d_18 with a 4-channel stem and resnet18 with a 1-channel conv1, their fc replaced,
    and the 17-way fc of the two-stream model."""
    torch.manual_seed(0)
    video = torchvision.models.video.r2plus1d_18()
    video.stem[0] = torch.nn.Conv3d(4, 45, (1, 7, 7), (1, 2, 2), (0, 3, 3), bias=False)
    audio = torchvision.models.resnet18()
    audio.conv1 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    state = {f'video_model.r2plus1d.{k}': v + torch.randn_like(v.float()).to(v.dtype)
             for k, v in video.state_dict().items() if not k.startswith('fc.')}
    state.update({f'audio_model.resnet.{k}': v for k, v in audio.state_dict().items()
                  if not k.startswith('fc.')})
    state['fc.1.weight'], state['fc.1.bias'] = torch.randn(17, 1024), torch.randn(17)
    return {prefix + k: v for k, v in state.items()}


def cam_state_dict(length: int = 8) -> dict:
    """Names and shapes of the official T-BIOM CAM (models/cam.py)."""
    shapes = dict(encoder1=(128, 512), encoder2=(128, 512), affine_a=(length, length),
                  affine_v=(length, length), W_a=(32, length), W_v=(32, length),
                  W_ca=(32, 256), W_cv=(32, 256), W_ha=(length, 32), W_hv=(length, 32))
    state = {f'{k}.weight': torch.randn(s) for k, s in shapes.items()}
    state.update({'encoder1.bias': torch.randn(128), 'encoder2.bias': torch.randn(128)})
    for reg in ('vregressor', 'aregressor'):
        state.update({f'{reg}.0.weight': torch.randn(128, 640), f'{reg}.0.bias': torch.randn(128),
                      f'{reg}.2.weight': torch.randn(1, 128), f'{reg}.2.bias': torch.randn(1)})
    return state


def build_as_coded():
    cfg = Config.fromfile(AS_CODED)
    init_default_scope('mmaction')
    return MODELS.build(cfg.model)


@pytest.mark.parametrize('prefix', ['', 'module.'])
def test_official_checkpoints_load_strictly_into_the_paper_model(prefix):
    tool = load_tool('projects/jca_fusion/tools/convert_official.py')
    tsav, cam = tsav_state_dict(prefix), cam_state_dict()
    state = tool.convert_tsav(tsav)
    state.update(tool.convert_cam(cam))
    model = build_as_coded()
    model.load_state_dict(state, strict=True)
    ours = model.state_dict()
    stem = tsav[prefix + 'video_model.r2plus1d.stem.0.weight']
    assert stem.shape[1] == 4
    torch.testing.assert_close(ours['encoders.visual.backbone.stem.0.weight'], stem[:, :3])
    torch.testing.assert_close(ours['encoders.visual.backbone.layer3.0.conv1.0.3.weight'],
                               tsav[prefix + 'video_model.r2plus1d.layer3.0.conv1.0.3.weight'])
    key = 'layer2.0.downsample.1.running_var'
    torch.testing.assert_close(ours[f'encoders.audio.backbone.{key}'],
                               tsav[f'{prefix}audio_model.resnet.{key}'])
    torch.testing.assert_close(ours['fusion.W_ja.weight'], cam['affine_a.weight'])
    torch.testing.assert_close(ours['projections.visual.bias'], cam['encoder2.bias'])
    torch.testing.assert_close(ours['head.regressors.arousal.2.weight'], cam['aregressor.2.weight'])


def test_unknown_keys_are_an_error():
    tool = load_tool('projects/jca_fusion/tools/convert_official.py')
    with pytest.raises(KeyError, match='video_model.extra'):
        tool.convert_tsav({'video_model.extra.weight': torch.zeros(1)})
    with pytest.raises(KeyError, match='W_q.weight'):
        tool.convert_cam({'W_q.weight': torch.zeros(1)})
    # The CVPR-W code's single regressor goes where --dimension says.
    single = tool.convert_cam({'regressor.0.weight': torch.zeros(1)}, dimension='arousal')
    assert list(single) == ['head.regressors.arousal.0.weight']


def test_encoders_initialise_from_the_converted_file(tmp_path):
    """The paper config's `init_cfg`s (prefix encoders.visual./encoders.audio.) read the
    converted TSAV file: the frozen backbones start from the released weights."""
    tool = load_tool('projects/jca_fusion/tools/convert_official.py')
    src, dst = str(tmp_path / 'TSAV_Sub4_544k.pth.tar'), str(tmp_path / 'tsav.pth')
    tsav = tsav_state_dict('module.')
    torch.save({'state_dict': tsav, 'epoch': 3}, src)
    tool.main([src, dst])
    cfg = Config.fromfile(AS_CODED)
    for enc in ('visual_encoder', 'audio_encoder'):
        cfg.model[enc].init_cfg.checkpoint = dst
    init_default_scope('mmaction')
    model = MODELS.build(cfg.model)
    model.init_weights()
    ours = model.state_dict()
    torch.testing.assert_close(ours['encoders.visual.backbone.layer4.1.conv2.1.running_mean'],
                               tsav['module.video_model.r2plus1d.layer4.1.conv2.1.running_mean'])
    torch.testing.assert_close(ours['encoders.audio.backbone.conv1.weight'],
                               tsav['module.audio_model.resnet.conv1.weight'])


@pytest.mark.skipif(not os.environ.get('JCA_OFFICIAL_REPO'),
                    reason='set JCA_OFFICIAL_REPO to a checkout of '
                    'praveena2j/Joint-Cross-Attention-for-Audio-Visual-Fusion')
def test_matches_the_official_code(capsys):
    tool = load_tool('projects/jca_fusion/tools/compare_official.py')
    status = tool.main(['--official-repo', os.environ['JCA_OFFICIAL_REPO'], '--batch', '1',
                        '--frames', '2'])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith('max_abs_diff=')
    assert status == 0, last
