"""The AdaFocusV2 benchmark tool end to end, on untrained models and a small dataset."""
from __future__ import annotations

import os.path as osp
import runpy

import torch
from mmengine.config import Config

from projects.adafocus_v2.evaluation.inference import build_model
from tests.conftest import REPO_ROOT
from tests.test_adafocus_v2.test_train import TINY, small_data_config

TSN_16PX = osp.join(REPO_ROOT, 'projects/adafocus_v2/configs/'
                    'tsn_r18_1xb8-4x1x1-12e_tiny-cluttered-digits-16px.py')


def random_checkpoint(config: str, path: str) -> str:
    torch.manual_seed(0)
    model = build_model(Config.fromfile(config), None)
    torch.save({'state_dict': model.state_dict()}, path)
    return path


def test_benchmark_reports_every_row(cluttered_digits_root, tmp_path):
    benchmark = runpy.run_path(
        osp.join(REPO_ROOT, 'tools/analysis_tools/adafocus_v2_benchmark.py'))['main']
    configs, checkpoints = {}, {}
    for name, base in (('adafocus', TINY), ('tsn', TSN_16PX)):
        configs[name] = small_data_config(str(tmp_path / f'{name}.py'), cluttered_digits_root,
                                          base)
        checkpoints[name] = random_checkpoint(configs[name], str(tmp_path / f'{name}.pth'))
    work_dir = str(tmp_path / 'bench')
    results = benchmark(['--adafocus', configs['adafocus'], checkpoints['adafocus'],
                         '--low-res', configs['tsn'], checkpoints['tsn'],
                         '--baseline', configs['tsn'], checkpoints['tsn'],
                         '--skip-paper', '--work-dir', work_dir])
    rows = results['accuracy']
    assert [r['model'] for r in rows] == [
        'AdaFocusV2, policy patches', 'AdaFocusV2, random patches',
        'AdaFocusV2, centre patches', 'TSN full frame 16px', 'TSN full frame 16px']
    assert all(0.0 <= r['top1'] <= 1.0 for r in rows)
    # A 16-pixel digit in a 40-pixel patch: IoU at most 16² / 40².
    assert all(0.0 <= r['iou'] <= 0.16 + 1e-6 for r in rows[:3])
    assert rows[0]['gflops'] > rows[3]['gflops'] > 0
    assert rows[3]['top1'] == rows[4]['top1']
    assert results['conditional_exit']['fixed']['top1'] == rows[0]['top1']
    for name in ('patches.png', 'conditional_exit.png', 'benchmark.json'):
        assert osp.isfile(osp.join(work_dir, name))
