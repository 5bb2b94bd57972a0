"""Paper configs: the paper-size models, their placement of MVF and their data settings."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope

from projects.mvfnet.models import MVF
from tests.conftest import REPO_ROOT

CONFIGS = osp.join(REPO_ROOT, 'projects/mvfnet/configs')
PAPER = sorted(p for p in glob.glob(osp.join(CONFIGS, '*.py')) if 'tiny' not in p)


def build(name: str):
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    cfg.model.backbone.pretrained = None
    cfg.model.backbone.pop('init_cfg', None)
    init_default_scope('mmaction')
    return cfg, MODELS.build(cfg.model)


@pytest.mark.parametrize('depth,params,mvf_blocks', [(50, 24.34e6, 9), (101, 43.36e6, 26)])
def test_kinetics_models_match_the_official_parameter_count(depth, params, mvf_blocks):
    """24.34 M (R50) and 43.36 M (R101) with the 400-way classifier (official configs'
    docstrings; count: every parameter, as the official count_flops.py)."""
    _, model = build(f'mvfnet_imagenet-pretrained-r{depth}_8xb12-4x16x1-150e_'
                     'kinetics400-rgb.py')
    count = sum(p.numel() for p in model.parameters())
    assert count == pytest.approx(params, rel=0.02)
    assert round(count / 1e6, 2) == round(params / 1e6, 2)
    mvfs = [m for m in model.modules() if isinstance(m, MVF)]
    assert len(mvfs) == mvf_blocks  # res4 + res5, every block
    assert all(m.mode == 'THW' and m.num_fused == int(m.net.in_channels / 8) for m in mvfs)


@pytest.mark.parametrize('clip', ['4x16', '8x8', '16x4'])
def test_clip_length_matches_num_segments(clip):
    """MVF regroups frames by ``num_segments``: it must equal every pipeline's clip length."""
    for depth in (50, 101):
        cfg = Config.fromfile(osp.join(
            CONFIGS, f'mvfnet_imagenet-pretrained-r{depth}_8xb12-{clip}x1-150e_'
            'kinetics400-rgb.py'))
        clip_len, interval = (int(v) for v in clip.split('x'))
        assert cfg.model.backbone.num_segments == clip_len
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            sample = cfg[loader].dataset.pipeline[0]
            assert (sample.clip_len, sample.frame_interval) == (clip_len, interval)
        assert cfg.optim_wrapper.optimizer.nesterov and cfg.optim_wrapper.optimizer.lr == 0.015


@pytest.mark.parametrize('path', PAPER, ids=osp.basename)
def test_frames_per_clip_equal_num_segments(path):
    cfg = Config.fromfile(path)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        sample = next(s for s in cfg[loader].dataset.pipeline if s.type == 'SampleFrames')
        frames = sample.clip_len if sample.clip_len > 1 else sample.num_clips
        assert frames == cfg.model.backbone.num_segments, loader
