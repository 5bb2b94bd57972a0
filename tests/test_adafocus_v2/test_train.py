"""One short `tools/train.py` run of the tiny config on a small cluttered-digits dataset."""
from __future__ import annotations

import os.path as osp
import runpy

import pytest
import torch

from tests.conftest import REPO_ROOT

TINY = osp.join(REPO_ROOT, 'projects/adafocus_v2/configs/'
                'adafocusv2_r18-r18_p40_1xb8-4x1x1-12e_tiny-cluttered-digits.py')


def test_tools_train_runs_and_trains_the_policy(tiny_config, tmp_path):
    train = runpy.run_path(osp.join(REPO_ROOT, 'tools/train.py'))['main']
    work_dir = str(tmp_path / 'work')
    cfg = tiny_config(TINY, work_dir, train_dataloader=dict(batch_size=2),
                      val_dataloader=dict(batch_size=2))
    config = str(tmp_path / 'small.py')
    cfg.dump(config)
    runner = train([config, '--work-dir', work_dir, '--cfg-options', 'train_cfg.max_epochs=2',
                    'default_hooks.checkpoint.max_keep_ckpts=2', 'default_hooks.logger.interval=1'])
    assert runner.epoch == 2
    assert torch.isfinite(torch.tensor(runner.message_hub.get_scalar('train/loss').current()))
    # The logged val accuracy is that of f_C's last step: recompute it from the trained model.
    model, correct, total = runner.model.eval(), 0, 0
    with torch.no_grad():
        for batch in runner.val_dataloader:
            data = model.data_preprocessor(batch, False)
            last_step = model(data['inputs'], mode='tensor')[:, -1]
            labels = torch.cat([sample.gt_label.view(-1) for sample in data['data_samples']])
            correct += int((last_step.argmax(-1) == labels).sum())
            total += len(labels)
    assert total == len(runner.val_dataloader.dataset) == 2
    assert runner.message_hub.get_scalar('val/acc/top1').current() == pytest.approx(
        correct / total)
    first, second = (torch.load(osp.join(work_dir, f'epoch_{e}.pth'), map_location='cpu')
                     ['state_dict'] for e in (1, 2))
    # π is trained end to end through the crop, even though its input is detached.
    assert not torch.equal(first['policy.head.0.weight'], second['policy.head.0.weight'])
