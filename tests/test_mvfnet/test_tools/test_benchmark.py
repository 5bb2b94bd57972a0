"""The MVFNet benchmark tool, on untrained tiny models and the smallest data; paper-size cost."""
import os.path as osp

import pytest
import torch

from projects.common import benchmark as harness
from tests.conftest import load_tool, random_checkpoint

CONFIGS = 'projects/mvfnet/configs'
TSN = f'{CONFIGS}/tsn_r18_1xb16-1x1x4-10e_tiny-digit-order.py'
MVF = f'{CONFIGS}/mvfnet_r18_1xb16-1x1x4-10e_tiny-digit-order.py'


def test_benchmark_reports_every_model(tiny_config, tmp_path):
    tool = load_tool('projects/mvfnet/tools/benchmark.py')
    args = []
    for name, base in (('TSN', TSN), ('MVFNet', MVF)):
        cfg = tiny_config(base, tmp_path / name)
        config = str(tmp_path / f'{name}.py')
        cfg.dump(config)
        seeds = [random_checkpoint(cfg, str(tmp_path / f'{name}{s}.pth'), seed=s)
                 for s in (0, 1)]
        args += ['--model', name, config, *seeds]
    work_dir = str(tmp_path / 'bench')
    results = tool.main([*args, '--skip-paper', '--repeats', '2', '--work-dir', work_dir])
    tsn, mvf = results['tiny']
    assert [tsn['model'], mvf['model']] == ['TSN', 'MVFNet']
    assert results['tiny_clip'] == [4, 3, 32, 32]
    for row in (tsn, mvf):
        assert len(row['top1_seeds']) == 2 and all(0 <= t <= 1 for t in row['top1_seeds'])
        assert row['top1_mean'] == pytest.approx(sum(row['top1_seeds']) / 2)
        assert row['seconds'] > 0
    assert mvf['params'] > tsn['params'] and mvf['gflops'] > tsn['gflops']
    assert results['paper'] == []
    for name in ('benchmark.json', 'benchmark.md'):
        assert osp.isfile(osp.join(work_dir, name))


def test_paper_size_cost_matches_the_official_count():
    """MVFNet-R50, one 4x224x224 clip: 16.454 GFLOPs and 24.34 M in the official config's
    docstring (multiply-adds of the backbone and head); within 2 % here."""
    tool = load_tool('projects/mvfnet/tools/benchmark.py')
    models = tool.paper_models()
    clip = torch.zeros(1, 4, 3, 224, 224)
    mvf = harness.complexity(tool.ClipForward(models['MVFNet-R50 (THW)']), inputs=clip)
    assert mvf['gflops'] == pytest.approx(tool.PAPER_GFLOPS, rel=0.02)
    assert mvf['params'] / 1e6 == pytest.approx(tool.PAPER_PARAMS_M, rel=0.02)
    tsn = harness.count_params(models['TSN-R50 (MVFNet, alpha = 0)'])
    tsm = harness.count_params(models['TSM-R50 (mmaction2 ResNetTSM)'])
    assert tsn == tsm < mvf['params']
