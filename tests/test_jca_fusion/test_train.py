"""One short `tools/train.py` run of the tiny JCA config, then `tools/test.py`."""
from __future__ import annotations

import json
import os.path as osp
import runpy

import pytest
import torch

from tests.conftest import REPO_ROOT, load_tool

TINY = osp.join(REPO_ROOT, 'projects/jca_fusion/configs/'
                'jca_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py')


def test_train_and_test(tiny_config, tmp_path, monkeypatch):
    tools = osp.join(REPO_ROOT, 'tools')
    train = runpy.run_path(osp.join(tools, 'train.py'))['main']
    test = runpy.run_path(osp.join(tools, 'test.py'))['main']
    # Named like the tiny configs, so that the benchmark finds its run in WORK_ROOT/jca_small.
    config = str(tmp_path / 'jca_small_1xb4-2e.py')
    work_dir = str(tmp_path / 'runs' / 'jca_small')
    # Two epochs: the step rule starts at epoch 5, so no schedule.
    tiny_config(TINY, work_dir, train_dataloader=dict(batch_size=4), param_scheduler=[],
                train_cfg=dict(max_epochs=2, val_interval=1)).dump(config)
    runner = train([config, '--work-dir', work_dir, '--cfg-options',
                    'default_hooks.logger.interval=2', 'default_hooks.checkpoint.max_keep_ckpts=2'])
    assert runner.epoch == 2
    assert torch.isfinite(torch.tensor(runner.message_hub.get_scalar('train/loss').current()))
    first = torch.load(osp.join(work_dir, 'epoch_1.pth'), map_location='cpu')['state_dict']
    last = torch.load(osp.join(work_dir, 'epoch_2.pth'), map_location='cpu')['state_dict']
    assert not torch.equal(first['fusion.W_ca.weight'], last['fusion.W_ca.weight'])
    metrics = test([config, osp.join(work_dir, 'epoch_2.pth'), '--work-dir',
                    str(tmp_path / 'test')])
    assert set(metrics) == {'ccc/valence', 'ccc/arousal', 'ccc/mean'}
    # The saved checkpoint, tested on the validation split, reproduces the validation run
    # of its epoch during training.
    val_metrics = test([config, osp.join(work_dir, 'epoch_2.pth'), '--work-dir',
                        str(tmp_path / 'test_val'), '--cfg-options',
                        'test_dataloader.dataset.dataset.ann_dir=annotations/Validation_Set'])
    for key, value in val_metrics.items():
        assert value == pytest.approx(runner.message_hub.get_scalar(f'val/{key}').current(),
                                      abs=1e-6)

    # The benchmark evaluates the chosen settings only, from their runs under --work-root.
    benchmark = load_tool('projects/jca_fusion/tools/benchmark.py')
    monkeypatch.setattr(benchmark, 'CONFIGS', str(tmp_path))
    monkeypatch.setitem(benchmark.SETTINGS, 'joint cross-attention', 'jca_small_1xb4-2e.py')
    out = str(tmp_path / 'benchmark.json')
    results = benchmark.main(['--work-root', str(tmp_path / 'runs'), '--settings',
                              'joint cross-attention', '--checkpoint', 'epoch_2.pth',
                              '--out', out])
    assert list(results) == ['joint cross-attention']
    assert results['joint cross-attention']['mean'] == pytest.approx(metrics['ccc/mean'])
    with open(out) as f:
        assert json.load(f) == results
    # A setting that was not trained is named with the file it needs.
    with pytest.raises(FileNotFoundError, match='best_ccc_mean_epoch'):
        benchmark.main(['--work-root', str(tmp_path / 'runs'), '--settings', 'audio-only'])
