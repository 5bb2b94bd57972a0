"""Every paper config builds its paper-size model, which runs on a tiny input."""
from __future__ import annotations

import glob
import os.path as osp
import re

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config

from tests.conftest import REPO_ROOT

CONFIG_DIR = osp.join(REPO_ROOT, 'projects/adafocus_v2/configs')
PAPER_CONFIGS = sorted(p for p in glob.glob(osp.join(CONFIG_DIR, '*.py')) if 'tiny' not in p)


def test_every_paper_dataset_has_configs():
    names = ' '.join(osp.basename(p) for p in PAPER_CONFIGS)
    for dataset in ('activitynet', 'fcvid', 'mini-kinetics', 'sthv1', 'sthv2', 'jester'):
        assert f'_{dataset}-rgb' in names, dataset
    for patch in (96, 128, 160):
        assert f'_p{patch}_' in names


@pytest.mark.parametrize('config', PAPER_CONFIGS, ids=osp.basename)
def test_paper_config_builds_and_runs(config):
    cfg = Config.fromfile(config)
    model_cfg = cfg.model
    assert model_cfg.patch_size == int(re.search(r'_p(\d+)_', config).group(1))
    assert model_cfg.global_encoder.pretrained is None
    # Few frames keep it cheap; every width and resolution stays at paper size.
    frames, focus = 2, (2 if model_cfg.get('num_focus_frames') else None)
    model_cfg.num_frames = model_cfg.policy.num_frames = frames
    if 'num_segments' in model_cfg.global_encoder:
        model_cfg.global_encoder.num_segments = frames
    if focus:
        model_cfg.num_focus_frames = model_cfg.local_encoder.num_segments = focus
    else:
        model_cfg.classifier.num_frames = frames
    model = MODELS.build(model_cfg).eval()
    num_classes = model_cfg.num_classes
    data = [ActionDataSample().set_gt_label(torch.tensor(0))]
    with torch.no_grad():
        out = model(torch.randn(1, frames + (focus or 0), 3, 224, 224), data, mode='predict')
    assert out[0].pred_score.shape == (num_classes,)
    assert torch.isfinite(out[0].step_logits).all()
