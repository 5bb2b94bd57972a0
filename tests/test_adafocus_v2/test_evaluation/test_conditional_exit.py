"""Conditional exit (AdaFocusV2+): threshold fitting on a hand-made case, the budget sweep,
and the tool."""
from __future__ import annotations

import json
import os.path as osp

import pytest
import torch

from projects.adafocus_v2.evaluation import (
    choose_for_budget,
    confidence,
    evaluate_exits,
    exit_curve,
    exit_proportions,
    exit_steps,
    fit_thresholds,
    score,
)
from projects.adafocus_v2.evaluation.inference import build_loader, collect
from projects.common.benchmark import dataset_cfg, load_model
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


def official_cal_map(logits: torch.Tensor, multi_hot: torch.Tensor) -> float:
    """The official mAP (ops/utils.py, `cal_map`) written out: per class, the mean of the
    precision at the rank of every positive, softmax scores; the mean over classes."""
    probs = logits.softmax(-1)
    aps = []
    for k in range(logits.shape[1]):
        truth = multi_hot[probs[:, k].argsort(descending=True), k]
        precision = truth.cumsum(0) / torch.arange(1, len(truth) + 1)
        aps.append(float(precision[truth.bool()].sum() / max(float(truth.sum()), 1)))
    return sum(aps) / len(aps)


def test_multi_label_exits_are_scored_by_map():
    """Multi-hot targets (ActivityNet, FCVID) are scored by mAP over the exited logits, as
    the official early_exit (not the top-1 of the first label)."""
    logits = torch.tensor([[[3., 1., 0.], [0., 0., 0.]],
                           [[0., 0., 0.], [1., 2., 0.]],
                           [[0., 0., 0.], [0., 1., 2.]],
                           [[0., 4., 0.], [0., 0., 0.]]])    # (N=4, S=2, K=3)
    labels = torch.tensor([[1., 1., 0.], [0., 1., 0.], [1., 0., 1.], [0., 1., 1.]])
    result = evaluate_exits(logits, labels, torch.tensor([2.5, -float('inf')]), 1.0)
    # Samples 0 and 3 exit at step 1 (max logit 3, 4 ≥ 2.5), 1 and 2 at step 2.
    exited = torch.stack([logits[0, 0], logits[1, 1], logits[2, 1], logits[3, 0]])
    assert set(result) == {'mAP', 'gflops', 'avg_steps'}
    assert result['mAP'] == pytest.approx(official_cal_map(exited, labels), abs=1e-6)
    assert result['mAP'] < 1.0 and result['avg_steps'] == 1.5


def test_the_budget_is_met_on_the_calibration_data_not_chosen_on_the_test_set():
    points = [dict(q=0.5, calib_gflops=1.0, gflops=1.2, top1=0.90),
              dict(q=1.0, calib_gflops=2.0, gflops=1.9, top1=0.50),
              dict(q=2.0, calib_gflops=3.0, gflops=2.4, top1=0.95)]
    # Budget 2.5: the most expensive point whose *calibration* cost fits is q = 1.0, although
    # q = 2.0 costs 2.4 on the evaluation data and is more accurate there.
    assert choose_for_budget(points, 2.5)['q'] == 1.0
    assert choose_for_budget(points, 0.5) is None


def test_calibration_cost_follows_the_target_proportions():
    calib = torch.arange(20.).view(10, 2, 1).expand(10, 2, 3).contiguous()
    point = exit_curve(calib, calib, torch.zeros(10, dtype=torch.long), 2.0, qs=[1.0])[0]
    # q = 1: half of the calibration videos exit at step 1, half at step 2.
    assert point['calib_gflops'] == pytest.approx(1.5 * 2.0)


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


def test_multi_label_videos_through_the_tool(tiny_config, tmp_path):
    """A multi-label evaluation list (two labels per video, mmaction2's multi_class lists):
    the tool keeps the multi-hot targets and reports mAP, as the official code for
    ActivityNet and FCVID; int(gt_label[0]) would have read 0 or 1."""
    cfg = tiny_config(TINY, tmp_path / 'work')
    evaluated = dataset_cfg(cfg, 'test')
    with open(evaluated.ann_file) as f:
        lines = [line.split() for line in f if line.strip()]
    multi = str(tmp_path / 'multi_label_list.txt')
    with open(multi, 'w') as f:
        f.writelines(f'{name} {label} {(int(label) + 1) % 10}\n' for name, label in lines)
    evaluated.update(multi_class=True, num_classes=10)
    cfg.test_evaluator = dict(type='AccMetric', metric_list=('mean_average_precision', ))
    config = str(tmp_path / 'tiny.py')
    cfg.dump(config)
    checkpoint = random_checkpoint(cfg, str(tmp_path / 'random.pth'))
    tool = load_tool('projects/adafocus_v2/tools/conditional_exit.py')
    out_dir = tmp_path / 'exit'
    curve = tool.main([config, checkpoint, '--out-dir', str(out_dir), '--eval-ann', multi])
    assert 'mAP' in curve[0] and 'top1' not in curve[0]
    with open(out_dir / 'conditional_exit.json') as f:
        saved = json.load(f)
    assert set(saved['fixed']) == {'mAP', 'gflops'}
    # The multi-hot targets the tool collects give, on the last step's logits, the mAP that
    # Runner.test() computed independently with mmaction2's AccMetric.
    model = load_model(cfg, checkpoint)
    run = collect(model, build_loader(cfg, multi))
    assert run['labels'].shape == (len(lines), 10)
    assert run['labels'].sum(1).tolist() == [2.0] * len(lines)
    assert score(run['step_logits'][:, -1], run['labels']) == pytest.approx(
        saved['fixed']['mAP'], abs=1e-6)


def test_saved_thresholds_run_frame_by_frame_under_tools_test(tiny_config, tmp_path):
    """--save-config writes the budget's thresholds into a config that tools/test.py runs
    with real exits; --time measures both inference paths on the same videos."""
    import runpy

    from mmengine.config import Config

    from tests.conftest import REPO_ROOT
    cfg = tiny_config(TINY, tmp_path / 'work')
    config = str(tmp_path / 'tiny.py')
    cfg.dump(config)
    checkpoint = random_checkpoint(cfg, str(tmp_path / 'random.pth'))
    tool = load_tool('projects/adafocus_v2/tools/conditional_exit.py')
    saved = str(tmp_path / 'early_exit.py')
    curve = tool.main([config, checkpoint, '--out-dir', str(tmp_path / 'exit'), '--budget',
                       '10', '--save-config', saved, '--time', '2'])
    chosen = tool.choose_for_budget(curve, 10.0)
    exit_cfg = Config.fromfile(saved)
    assert exit_cfg.model.early_exit.thresholds == tool.finite(chosen['thresholds'])
    with open(tmp_path / 'exit' / 'conditional_exit.json') as f:
        timing = json.load(f)['timing']
    assert timing['batched_ms'] > 0 and timing['stream_ms'] > 0
    test = runpy.run_path(osp.join(REPO_ROOT, 'tools/test.py'))['main']
    metrics = test([saved, checkpoint, '--work-dir', str(tmp_path / 'test')])
    # The frame-by-frame top-1 is the curve's at that point (same exits, same logits).
    assert metrics['acc/top1'] == pytest.approx(chosen['top1'])


def test_speed_tool_times_forced_exits():
    tool = load_tool('projects/adafocus_v2/tools/speed.py')
    rows = tool.main(['--config', TINY, '--size', '64', '--exit-steps', '1', '3',
                      '--repeats', '1'])
    assert [r['path'] for r in rows] == ['all steps, batched', 'frame by frame, exit after 1',
                                         'frame by frame, exit after 3']
    assert rows[1]['gflops'] == pytest.approx(rows[0]['gflops'] / 4)
    assert tool.forced_exit(4, 3) == [float('inf')] * 2 + [-float('inf')] * 2
    with pytest.raises(ValueError, match='1..4'):
        tool.main(['--config', TINY, '--exit-steps', '5'])


def test_speed_tool_times_knobs_per_part_with_their_output_difference():
    tool = load_tool('projects/adafocus_v2/tools/speed.py')
    rows = tool.main(['--config', TINY, '--size', '64', '--exit-steps', '4', '--repeats', '1',
                      '--knobs', 'channels_last', 'fuse_bn', '--plain-layout'])
    knobs = rows[-1]['knobs']
    assert set(knobs) == {'glance f_G', 'focus f_L', 'whole model, batched'}
    for runs in knobs.values():
        assert set(runs) == {'fp32', 'channels_last', 'fuse_bn'}
        assert runs['fp32']['max_abs_diff'] == 0
        # Both knobs compute the same function (folding BN is exact up to rounding).
        assert runs['channels_last']['max_abs_diff'] < 1e-4
        assert runs['fuse_bn']['max_abs_diff'] < 1e-3
