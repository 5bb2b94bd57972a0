"""Paper configs: the paper's networks at their sizes; every config loads."""
from __future__ import annotations

import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import MODELS
from torch import nn

from tests.conftest import REPO_ROOT

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'projects/cmpl/configs/*.py')))
PAPER = osp.join(REPO_ROOT, 'projects/cmpl/configs/cmpl_slowonly-r50_aux-r50-quarter_8xb2-mu4-'
                 '8x8x1-200e_kinetics400-1pct-rgb.py')


def conv_params(module: nn.Module) -> int:
    return sum(p.numel() for m in module.modules() if isinstance(m, nn.modules.conv._ConvNd)
               for p in m.parameters())


def test_paper_networks_have_the_paper_sizes():
    cfg = Config.fromfile(PAPER)
    for net in ('primary', 'auxiliary'):  # SyncBN needs a process group to build
        cfg.model[net].backbone.norm_cfg = dict(type='BN3d', requires_grad=True)
    model = MODELS.build(cfg.model)
    primary = sum(p.numel() for p in model.primary.parameters())
    # 3D-ResNet-50 with a 400-way head: 31.8 M in the paper's comparison tables.
    assert 31.6e6 <= primary <= 32.5e6, primary
    # "3D-ResNet50 x1/4": every width divided by 4, so convolutions have 1/16 the weights.
    ratio = conv_params(model.auxiliary) / conv_params(model.primary)
    assert abs(ratio - 1 / 16) < 0.002, ratio
    assert model.auxiliary.cls_head.fc_cls.in_features == 512


@pytest.mark.parametrize('config', CONFIGS, ids=osp.basename)
def test_config_loads_with_its_data_and_mode(config):
    cfg = Config.fromfile(config)
    name = osp.basename(config)
    if name.startswith('primary-only'):
        assert cfg.model.type == 'Recognizer3D'
        return
    mode = name.split('_')[0]
    assert cfg.model.mode == mode and (cfg.model.auxiliary is None) == (mode != 'cmpl')
    dataset = cfg.train_dataloader.dataset
    dataset = dataset.get('dataset') if dataset.type == 'EmbeddedDataset' else dataset
    percent = float(name.split('pct')[0].rsplit('-', 1)[1])
    assert dataset.percent == percent
    assert cfg.train_dataloader.sampler.type == 'SemiSupervisedSampler'
