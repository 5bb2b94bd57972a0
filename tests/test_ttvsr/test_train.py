"""One short `tools/train.py` run of the tiny TTVSR config, and its missing-checkpoint error."""
from __future__ import annotations

import os.path as osp
import runpy

import pytest
import torch

from tests.conftest import REPO_ROOT
from tests.test_ttvsr.conftest import small_data_config


def train_main():
    return runpy.run_path(osp.join(REPO_ROOT, 'tools/train.py'))['main']


def test_tools_train_runs_the_tiny_ttvsr(embedded_vsr_root, tmp_path):
    config = small_data_config(str(tmp_path / 'small.py'), embedded_vsr_root)
    work_dir = str(tmp_path / 'work')
    # 4 iterations (the DISFlow stand-in has no weights: fix_iter changes nothing); validation
    # at the end on the 2 held-out clips, whole clips.
    runner = train_main()([config, '--work-dir', work_dir, '--cfg-options',
                           'train_cfg.max_iters=4', 'train_cfg.val_interval=4',
                           'model.train_cfg.fix_iter=2', 'default_hooks.logger.interval=1'])
    assert runner.iter == 4
    assert torch.isfinite(torch.tensor(runner.message_hub.get_scalar('train/loss').current()))
    psnr = runner.message_hub.get_scalar('val/PSNR').current()
    assert 5.0 < psnr < 60.0
    state = torch.load(osp.join(work_dir, 'iter_4.pth'), map_location='cpu')['state_dict']
    assert any(k.startswith('generator.LTAM.') for k in state)


def test_missing_spynet_checkpoint_is_named(embedded_vsr_root, tmp_path):
    config = small_data_config(str(tmp_path / 'small.py'), embedded_vsr_root)
    with open(config, 'a') as f:
        f.write("model = dict(init_cfg=dict(type='Pretrained', checkpoint='no/spynet.pth'))\n")
    with pytest.raises(FileNotFoundError, match=r"model\.init_cfg\.checkpoint = 'no/spynet\.pth'"):
        train_main()([config, '--work-dir', str(tmp_path / 'work')])
