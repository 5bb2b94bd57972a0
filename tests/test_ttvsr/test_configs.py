"""Every TTVSR config loads; the paper configs build the paper-size network; tiny ones differ
from each other only where they should."""
from __future__ import annotations

import glob
import os.path as osp

import pytest
import torch
from mmagic.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

from tests.test_ttvsr.conftest import CONFIGS

ALL = sorted(glob.glob(osp.join(CONFIGS, '*.py')))
PAPER = {'ttvsr_c64n60_8xb2-400k_reds4.py': ('RGB', 50),
         'ttvsr_c64n60_8xb2-400k_vimeo90k-bd.py': ('Y', 7)}


@pytest.mark.parametrize('path', ALL, ids=osp.basename)
def test_config_loads_in_mmagic_scope(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmagic'
    assert cfg.custom_imports.imports[0] == 'projects.ttvsr'
    assert cfg.model.type in ('TTVSR', 'BasicVSR', 'SPyNetPretraining')


@pytest.mark.parametrize('name', sorted(PAPER))
def test_paper_config_builds_the_paper_network(name):
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    channel, frames = PAPER[name]
    assert cfg.train_dataloader.dataset.num_input_frames == frames
    assert cfg.train_dataloader.batch_size == 2
    assert cfg.optim_wrapper.optimizer == dict(type='Adam', lr=2e-4, betas=(0.9, 0.99))
    assert cfg.optim_wrapper.paramwise_cfg.custom_keys.spynet.lr_mult == 0.125
    assert cfg.param_scheduler.periods == [400_000] and cfg.param_scheduler.eta_min == 1e-7
    assert cfg.model.train_cfg.fix_iter == 5000
    assert cfg.model.pixel_loss.type == 'CharbonnierLoss'
    metrics = cfg.val_evaluator.metrics
    assert {m.get('convert_to', 'RGB').upper() for m in metrics} == {channel}
    assert all(m.get('crop_border', 0) == 0 for m in metrics)
    # The released SPyNet cannot be downloaded here; the architecture is what is checked.
    cfg.model.generator.spynet_pretrained = None
    init_default_scope('mmagic')
    model = MODELS.build(cfg.model).eval()
    params = sum(p.numel() for p in model.generator.parameters())
    assert params == pytest.approx(6.77e6, rel=0.01)  # 6,773,615 from the official layers
    with torch.no_grad():
        out = model.generator(torch.rand(1, 2, 3, 32, 32))
    assert out.shape == (1, 2, 3, 128, 128)


def test_vimeo_config_trains_on_twice_mirrored_clips_and_tests_three_sets():
    cfg = Config.fromfile(osp.join(CONFIGS, 'ttvsr_c64n60_8xb2-400k_vimeo90k-bd.py'))
    steps = [t.type for t in cfg.train_dataloader.dataset.pipeline]
    assert steps.count('MirrorSequence') == 2 and 'TemporalReverse' not in steps
    assert cfg.train_dataloader.dataset.data_prefix.img == 'BDx4'
    assert cfg.model.vimeo_centre_average
    assert [d.dataset.metainfo.dataset_type for d in cfg.test_dataloader] == [
        'vid4', 'udm10', 'vimeo90k_seq']
    assert all(m.convert_to == 'Y' for e in cfg.test_evaluator for m in e)


def tiny(name: str) -> Config:
    return Config.fromfile(osp.join(CONFIGS, name))


def test_tiny_baselines_share_size_budget_and_flow():
    ttvsr = tiny('ttvsr_c32n4_1xb4-1800iter_tiny-embedded-vsr-bi.py')
    basicvsr = tiny('basicvsr_c32n2_1xb4-1800iter_tiny-embedded-vsr-bi.py')
    single = tiny('single-frame_c32n4_1xb4-1800iter_tiny-embedded-vsr-bi.py')
    for other in (basicvsr, single):
        for key in ('train_cfg', 'optim_wrapper', 'param_scheduler', 'train_dataloader'):
            assert other[key] == ttvsr[key], key
    # BasicVSR's two trunks together are as deep as TTVSR's one shared trunk.
    assert 2 * basicvsr.model.generator.num_blocks == ttvsr.model.generator.num_blocks
    assert basicvsr.model.generator.mid_channels == ttvsr.model.generator.mid_channels
    # The same frozen flow stand-in, nothing to load before training.
    assert basicvsr.model.generator.type == 'BasicVSRNetWithFlow'
    assert basicvsr.model.generator.flow_estimator == ttvsr.model.generator.flow_estimator
    assert ttvsr.model.generator.flow_estimator.type == 'DISFlow'
    assert ttvsr.model.train_cfg.fix_iter == ttvsr.train_cfg.max_iters
    for cfg in (ttvsr, basicvsr, single):
        assert cfg.model.get('init_cfg') is None
    assert single.model.generator.type == 'SingleFrameVSRNet'


@pytest.mark.parametrize('model', ['ttvsr_c32n4', 'basicvsr_c32n2', 'single-frame_c32n4'])
def test_bd_variants_read_bd_frames_only(model):
    bi = tiny(f'{model}_1xb4-1800iter_tiny-embedded-vsr-bi.py')
    bd = tiny(f'{model}_1xb4-1800iter_tiny-embedded-vsr-bd.py')
    for split in ('train', 'val', 'test'):
        loader = bd[f'{split}_dataloader'].dataset.dataset
        assert loader.data_prefix == dict(img='BDx4', gt='GT')
        loader.data_prefix.img = 'BIx4'
        assert bd[f'{split}_dataloader'] == bi[f'{split}_dataloader']
    assert bd.model == bi.model


def test_spynet_pretraining_pairs_have_motion_independent_of_content():
    cfg = tiny('spynet_1xb8-2k_tiny-embedded-vsr-flow.py')
    train = cfg.train_dataloader.dataset
    test = cfg.test_dataloader.dataset
    # Many short clips, one random motion each (not the 32 VSR clips, whose one smooth path per
    # clip can be recognised from the content), LR frames only; held out: the VSR test clips.
    assert train.builder.clips == dict(train=1000) and train.builder.num_frames == dict(train=6)
    assert train.builder.write_gt is False and train.builder.root != test.builder.root
    assert train.dataset.data_root == train.builder.root
    assert test.dataset.ann_file == 'meta_info_test_GT.txt'
    assert 'photos' not in train.builder  # the builder's training photographs
