"""One short `tools/train.py` run of the tiny config on a small cluttered-digits dataset."""
from __future__ import annotations

import os.path as osp
import runpy

import torch

from tests.conftest import REPO_ROOT
from tests.test_adafocus_v2.conftest import TINY_VIDEOS

TINY = osp.join(REPO_ROOT, 'projects/adafocus_v2/configs/'
                'adafocusv2_r18-r18_p40_1xb8-4x1x1-12e_tiny-cluttered-digits.py')


def small_data_config(path: str, root: str, base: str = TINY) -> str:
    """Writes a config that points a tiny config (``base``) at the small dataset in ``root``."""
    loaders = '\n'.join(
        f"{split}_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False, "
        f"dataset=dict(builder=builder, dataset=dict(ann_file='{root}/{split}_list.txt', "
        f"data_prefix=dict(video='{root}/videos'))))"
        for split in ('train', 'val', 'test'))
    with open(path, 'w') as f:
        f.write(f"_base_ = ['{base}']\n"
                f"builder = dict(type='ClutteredDigitsBuilder', root='{root}', "
                f'videos={TINY_VIDEOS!r})\n{loaders}\n')
    return path


def test_tools_train_runs_and_trains_the_policy(cluttered_digits_root, tmp_path):
    train = runpy.run_path(osp.join(REPO_ROOT, 'tools/train.py'))['main']
    config = small_data_config(str(tmp_path / 'small.py'), cluttered_digits_root)
    work_dir = str(tmp_path / 'work')
    runner = train([config, '--work-dir', work_dir, '--cfg-options', 'train_cfg.max_epochs=2',
                    'default_hooks.checkpoint.max_keep_ckpts=2', 'default_hooks.logger.interval=1'])
    assert runner.epoch == 2
    assert torch.isfinite(torch.tensor(runner.message_hub.get_scalar('train/loss').current()))
    assert 0.0 <= runner.message_hub.get_scalar('val/acc/top1').current() <= 1.0
    first, second = (torch.load(osp.join(work_dir, f'epoch_{e}.pth'), map_location='cpu')
                     ['state_dict'] for e in (1, 2))
    # π is trained end to end through the crop, even though its input is detached.
    assert not torch.equal(first['policy.head.0.weight'], second['policy.head.0.weight'])
