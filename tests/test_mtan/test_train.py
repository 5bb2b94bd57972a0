"""One short ``tools/train.py`` run of the MTAN tiny config with Dynamic Weight Average, then
``tools/test.py`` on its checkpoint."""
import os.path as osp
import runpy

import pytest
import torch

from tests.conftest import REPO_ROOT

TINY = osp.join(REPO_ROOT,
                'projects/mtan/configs/mtan-dwa_segnet-w8_1xb8-25e_tiny-toy-scenes.py')


def test_tools_train_runs_mtan_with_dwa(tiny_config, tmp_path):
    train = runpy.run_path(osp.join(REPO_ROOT, 'tools/train.py'))['main']
    test = runpy.run_path(osp.join(REPO_ROOT, 'tools/test.py'))['main']
    work_dir = str(tmp_path / 'work')
    cfg = tiny_config(TINY, work_dir, train_dataloader=dict(batch_size=2),
                      val_dataloader=dict(batch_size=2))
    config = str(tmp_path / 'small.py')
    cfg.dump(config)
    runner = train([config, '--work-dir', work_dir, '--cfg-options', 'train_cfg.max_epochs=3',
                    'train_cfg.val_interval=3', 'default_hooks.logger.interval=1',
                    'default_hooks.checkpoint.interval=1',
                    'default_hooks.checkpoint.max_keep_ckpts=3'])
    assert runner.epoch == 3
    hub = runner.message_hub
    # Epoch 3 (index 2) is the first with DWA weights: they sum to the number of tasks.
    weights = [hub.get_scalar(f'train/weight_{t}').current() for t in ('seg', 'depth', 'normal')]
    assert sum(weights) == pytest.approx(3.0) and max(weights) != pytest.approx(1.0)
    assert 0 <= hub.get_scalar('val/mtan/mIoU').current() <= 100
    assert hub.get_scalar('val/mtan/normal_mean').current() > 0
    first, last = (torch.load(osp.join(work_dir, f'epoch_{e}.pth'), map_location='cpu')
                   for e in (1, 3))
    key = 'attention.encoder_att.1.2.excite.conv.weight'
    assert not torch.equal(first['state_dict'][key], last['state_dict'][key])
    # The DWA history (epoch-average losses) is saved with the checkpoint.
    assert len(last['loss_weighting']['_extra_state']['history']) == 3
    # tools/test.py (the hook is inert there) gives the validation numbers of the last epoch.
    metrics = test([config, osp.join(work_dir, 'epoch_3.pth'), '--work-dir',
                    str(tmp_path / 'test')])
    assert metrics['mtan/mIoU'] == pytest.approx(hub.get_scalar('val/mtan/mIoU').current())
    assert set(metrics) >= {'mtan/depth_abs_err', 'mtan/normal_within_30'}
