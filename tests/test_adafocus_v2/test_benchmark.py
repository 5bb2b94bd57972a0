"""The AdaFocusV2 benchmark tool end to end, on untrained models and a small dataset."""
from __future__ import annotations

import os.path as osp

import pytest
import torch
from mmengine.config import Config

from projects.adafocus_v2.evaluation import count
from projects.adafocus_v2.evaluation.inference import build_loader, collect
from projects.common.benchmark import load_model
from tests.conftest import load_tool, random_checkpoint

CONFIGS = 'projects/adafocus_v2/configs'
TINY = f'{CONFIGS}/adafocusv2_r18-r18_p40_1xb8-4x1x1-12e_tiny-cluttered-digits.py'
TSN_16PX = f'{CONFIGS}/tsn_r18_1xb8-4x1x1-12e_tiny-cluttered-digits-16px.py'


def test_benchmark_reports_every_row(tiny_config, tmp_path):
    benchmark = load_tool('projects/adafocus_v2/tools/benchmark.py').main
    configs, checkpoints = {}, {}
    for name, base in (('adafocus', TINY), ('tsn', TSN_16PX)):
        cfg = tiny_config(base, tmp_path / name)
        configs[name] = str(tmp_path / f'{name}.py')
        cfg.dump(configs[name])
        checkpoints[name] = random_checkpoint(cfg, str(tmp_path / f'{name}.pth'))
    work_dir = str(tmp_path / 'bench')
    results = benchmark(['--adafocus', configs['adafocus'], checkpoints['adafocus'],
                         '--low-res', configs['tsn'], checkpoints['tsn'],
                         '--baseline', configs['tsn'], checkpoints['tsn'],
                         '--skip-paper', '--timing-repeats', '1', '--work-dir', work_dir])
    rows = results['accuracy']
    assert [r['model'] for r in rows] == [
        'AdaFocusV2, policy patches', 'AdaFocusV2, random patches',
        'AdaFocusV2, centre patches', 'TSN full frame 16px', 'TSN full frame 16px']
    # The policy row is Runner.test()'s top-1; the last-step logits the tool collects give
    # the same number by hand (two independent paths through the model and the data).
    tool = load_tool('projects/adafocus_v2/tools/benchmark.py')
    cfg = Config.fromfile(configs['adafocus'])
    run = collect(load_model(cfg, checkpoints['adafocus']), build_loader(cfg))
    assert rows[0]['top1'] == pytest.approx(tool.hand_top1(run))
    # A 16-pixel digit in a 40-pixel patch: IoU at most 16² / 40².
    assert all(0.0 <= r['iou'] <= 0.16 + 1e-6 for r in rows[:3])
    # TSN at 16 px: ResNet-18 on four 16x16 frames, by the counting rule of the paper table.
    tsn = Config.fromfile(configs['tsn'])
    backbone = load_model(tsn).backbone
    with torch.no_grad():
        per_frame = count(backbone, torch.zeros(1, 3, 16, 16))
    assert rows[3]['gflops'] == pytest.approx(4 * per_frame)
    assert rows[0]['gflops'] > rows[3]['gflops']
    # Every row has its measured time per video; the patch rows share one model.
    assert all(r['ms'] > 0 for r in rows)
    assert rows[0]['ms'] == rows[1]['ms'] == rows[2]['ms'] != rows[3]['ms']
    for name in ('patches.png', 'conditional_exit.png', 'benchmark.json', 'benchmark.md'):
        assert osp.isfile(osp.join(work_dir, name))
