"""One short training of the tiny CMPL config, then mmaction2's test of F alone."""
from __future__ import annotations

import os.path as osp

from mmengine.runner import Runner

from tests.test_cmpl.conftest import PRIMARY_ONLY, TINY


def test_train_export_and_test_primary_alone(tmp_path, tiny_config):
    cfg = tiny_config(
        TINY, tmp_path / 'cmpl',
        train_cfg=dict(max_epochs=1, val_interval=1),
        train_dataloader=dict(batch_size=2, dataset=dict(dataset=dict(num_items=4))),
        param_scheduler=[], default_hooks=dict(logger=dict(interval=1)))
    runner = Runner.from_cfg(cfg)
    runner.train()
    exported = osp.join(cfg.work_dir, 'primary_only.pth')
    assert osp.isfile(exported)
    scalars = runner.message_hub.log_scalars
    assert {'train/loss_sup_primary', 'train/loss_unsup_aux', 'train/mask_aux',
            'train/recall_primary'} <= set(scalars)

    joint = runner.test()
    test_cfg = tiny_config(PRIMARY_ONLY, tmp_path / 'primary', load_from=exported)
    alone = Runner.from_cfg(test_cfg).test()
    assert alone['acc/top1'] == joint['acc/top1']
