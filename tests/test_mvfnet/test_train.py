"""One short ``tools/train.py`` run of the MVFNet tiny config on the smallest digit-order data."""
import os.path as osp
import runpy

import torch

from tests.conftest import REPO_ROOT

TINY = osp.join(REPO_ROOT, 'projects/mvfnet/configs/mvfnet_r18_1xb16-1x1x4-10e_tiny-digit-order.py')


def test_tools_train_runs_and_trains_mvf(tiny_config, tmp_path):
    train = runpy.run_path(osp.join(REPO_ROOT, 'tools/train.py'))['main']
    work_dir = str(tmp_path / 'work')
    cfg = tiny_config(TINY, work_dir, train_dataloader=dict(batch_size=2),
                      val_dataloader=dict(batch_size=2))
    config = str(tmp_path / 'small.py')
    cfg.dump(config)
    runner = train([config, '--work-dir', work_dir, '--cfg-options', 'train_cfg.max_epochs=2',
                    'default_hooks.checkpoint.max_keep_ckpts=2',
                    'default_hooks.logger.interval=1'])
    assert runner.epoch == 2
    assert torch.isfinite(torch.tensor(runner.message_hub.get_scalar('train/loss').current()))
    assert 0 <= runner.message_hub.get_scalar('val/acc/top1').current() <= 1
    first, second = (torch.load(osp.join(work_dir, f'epoch_{e}.pth'), map_location='cpu')
                     ['state_dict'] for e in (1, 2))
    # The MVF kernels (res4 and res5 only) are trained; res3 has none.
    for key in ('backbone.layer3.0.conv1.conv.shift_conv.weight',
                'backbone.layer4.1.conv1.conv.w_conv.weight'):
        assert not torch.equal(first[key], second[key]), key
    assert not any(k.startswith('backbone.layer2') and 'shift_conv' in k for k in first)
