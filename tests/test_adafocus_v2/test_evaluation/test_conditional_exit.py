"""Conditional exit (AdaFocusV2+): threshold fitting on a hand-made case, the budget sweep,
and the tool."""
from __future__ import annotations

import json
import os.path as osp

import pytest
import torch

from projects.adafocus_v2.evaluation import (
    confidence,
    evaluate_exits,
    exit_curve,
    exit_proportions,
    exit_steps,
    fit_thresholds,
)
from projects.common.benchmark import dataset_cfg
from tests.conftest import load_tool, random_checkpoint

TINY = ('projects/adafocus_v2/configs/'
        'adafocusv2_r18-r18_p40_1xb8-4x1x1-12e_tiny-cluttered-digits.py')


def test_thresholds_on_a_hand_made_case():
    # 10 samples, 3 exits, target fractions 30 % / 30 % / 40 %.
    conf = torch.tensor([[9., 0., 0.], [8., 0., 0.], [7., 0., 0.], [6., 5., 0.], [5., 9., 0.],
                         [4., 8., 0.], [3., 7., 0.], [2., 1., 0.], [1., 2., 0.], [0., 3., 0.]])
    thresholds = fit_thresholds(conf, torch.tensor([0.3, 0.3, 0.4]))
    # Step 1: the three most confident (9, 8, 7) exit, η_1 = 7. Step 2: of the others, the
    # three most confident at step 2 (9, 8, 7: samples 4, 5, 6) exit, η_2 = 7. η_3 = -inf.
    assert thresholds.tolist() == [7., 7., -float('inf')]
    assert exit_steps(conf, thresholds).tolist() == [0, 0, 0, 2, 1, 1, 1, 2, 2, 2]


def test_a_step_with_no_target_exits_admits_nobody():
    conf = torch.rand(4, 3)
    thresholds = fit_thresholds(conf, torch.tensor([0.0, 0.0, 1.0]))
    assert thresholds[0] == float('inf') and thresholds[1] == float('inf')
    assert exit_steps(conf, thresholds).tolist() == [2, 2, 2, 2]


def test_accuracy_and_cost_at_the_exits():
    logits = torch.tensor([[[5., 0.], [0., 5.]], [[0., 1.], [0., 9.]]])  # (N=2, S=2, K=2)
    labels = torch.tensor([0, 1])
    result = evaluate_exits(logits, labels, torch.tensor([4., -float('inf')]), 1.5)
    # Sample 0 exits at step 1 (conf 5 ≥ 4, correct); sample 1 at step 2 (correct).
    assert result == dict(top1=1.0, gflops=1.5 * 1.5, avg_steps=1.5)


def test_exit_proportions():
    p = exit_proportions(2.0, 4)
    torch.testing.assert_close(p, torch.tensor([2., 4., 8., 16.], dtype=torch.double) / 30)


def test_larger_q_spends_more():
    torch.manual_seed(0)
    calib, evals = torch.randn(200, 6, 4), torch.randn(100, 6, 4)
    points = exit_curve(calib, evals, torch.randint(4, (100,)), 1.0, qs=[0.5, 1.0, 3.0])
    assert [p['q'] for p in points] == [0.5, 1.0, 3.0]
    assert points[0]['gflops'] < points[1]['gflops'] < points[2]['gflops'] <= 6.0


def test_confidence_kinds():
    logits = torch.tensor([[[2., 0.]]])
    assert confidence(logits, 'max_logit').item() == 2.0
    assert confidence(logits, 'max_softmax').item() == pytest.approx(
        torch.tensor([2., 0.]).softmax(0)[0].item())
    with pytest.raises(ValueError, match="kind='entropy'"):
        confidence(logits, 'entropy')


def test_the_tool_calibrates_on_the_training_list(tiny_config, tmp_path, monkeypatch):
    cfg = tiny_config(TINY, tmp_path / 'work')
    config = str(tmp_path / 'tiny.py')
    cfg.dump(config)
    checkpoint = random_checkpoint(cfg, str(tmp_path / 'random.pth'))
    tool = load_tool('projects/adafocus_v2/tools/conditional_exit.py')
    lists = []
    build_loader = tool.build_loader
    monkeypatch.setattr(tool, 'build_loader',
                        lambda cfg, ann=None: lists.append(ann) or build_loader(cfg, ann))
    out_dir = tmp_path / 'exit'
    curve = tool.main([config, checkpoint, '--out-dir', str(out_dir), '--budget', '10'])
    # Calibration on the train dataloader's list, not on the test list's path with 'test'
    # replaced ('pytest-of-...' in the temporary path would have become 'pytrain-of-...').
    assert lists == [osp.abspath(dataset_cfg(cfg, 'train').ann_file), None]
    with open(out_dir / 'conditional_exit.json') as f:
        saved = json.load(f)
    assert saved['curve'] == json.loads(json.dumps(curve))
    assert 0.0 <= saved['fixed']['top1'] <= 1.0 and saved['fixed']['gflops'] > 0
    assert osp.isfile(out_dir / 'conditional_exit.png')
    assert osp.isfile(out_dir / 'conditional_exit.md')
