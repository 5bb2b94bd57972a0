"""Conditional exit (AdaFocusV2+) for a trained AdaFocusV2: the accuracy-vs-GFLOPs curve.

No retraining (as the official ``test_early_exit.py`` / ``ops/early_exit.py``): the step
logits of f_C are collected on the training split (to fit the exit thresholds for each q of
the budget sweep) and on the evaluation split; the tool prints the curve and saves a plot.
With ``--budget`` it picks the operating point as the method prescribes: the thresholds
whose expected cost on the calibration (training) data meets the budget, never looking at
the evaluation labels. Single-label data is scored by top-1, multi-label data (ActivityNet,
FCVID: multi-hot targets) by mAP, as the official code. The fixed-length score is
``Runner.test()``'s, with the config's ``AccMetric``.

Example::

    python projects/adafocus_v2/tools/conditional_exit.py CONFIG CHECKPOINT \
        --out-dir work_dirs/adafocus_v2_exit [--budget 0.3] [--confidence max_softmax]
"""
from __future__ import annotations

import argparse
import copy
import os
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402

import projects.adafocus_v2  # noqa: E402,F401
from projects.adafocus_v2.evaluation import (  # noqa: E402
    CONFIDENCES,
    adafocus_complexity,
    choose_for_budget,
    exit_curve,
    metric_name,
    plot_exit_curve,
)
from projects.adafocus_v2.evaluation.inference import build_loader, collect  # noqa: E402
from projects.common import benchmark as harness  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='AdaFocusV2+ conditional-exit curve')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--calib-ann', help='list file of the calibration (training) videos; '
                        "default: the list of the config's train_dataloader")
    parser.add_argument('--eval-ann', help='list file to evaluate; default: the test list')
    parser.add_argument('--frame-size', type=int, default=None,
                        help='side of the input frames for the GFLOPs count (default: the '
                        "test pipeline's last Resize / CenterCrop)")
    parser.add_argument('--confidence', choices=CONFIDENCES, default='max_logit')
    parser.add_argument('--budget', type=float, help='GFLOPs per video to stay within, '
                        'expected on the calibration data')
    parser.add_argument('--out-dir', default='work_dirs/adafocus_v2_conditional_exit')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[dict]:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    model = harness.load_model(cfg, args.checkpoint)
    total = adafocus_complexity(model, args.frame_size or harness.frame_size(cfg))['total']
    calib = collect(model, build_loader(cfg, args.calib_ann or harness.train_ann_file(cfg)))
    evaluated = collect(model, build_loader(cfg, args.eval_ann))
    steps = evaluated['step_logits'].shape[1]
    curve = exit_curve(calib['step_logits'], evaluated['step_logits'], evaluated['labels'],
                       total / steps, kind=args.confidence)
    eval_cfg = copy.deepcopy(cfg)
    if args.eval_ann:
        harness.dataset_cfg(eval_cfg).ann_file = args.eval_ann
    metrics = harness.evaluate(eval_cfg, args.checkpoint, osp.join(args.out_dir, 'test'))
    key = metric_name(evaluated['labels'])
    label = 'mAP' if key == 'mAP' else 'top-1'
    value = metrics['acc/mean_average_precision' if key == 'mAP' else 'acc/top1']
    rows = [[f"{p['q']:.1f}", f"{100 * p[key]:.2f}", f"{p['gflops']:.3f}",
             f"{p['calib_gflops']:.3f}", f"{p['avg_steps']:.2f}"] for p in curve]
    lines = [f'fixed length: {label} {100 * value:.2f} % at {total:.3f} GFLOPs per video',
             harness.markdown_table(['q', f'{label} (%)', 'GFLOPs / video',
                                     'GFLOPs / video (calibration)', 'average steps'], rows)]
    if args.budget is not None:
        best = choose_for_budget(curve, args.budget)
        lines.append(f'budget {args.budget} GFLOPs (on the calibration data): ' + (
            f"q={best['q']:.1f}, {label} {100 * best[key]:.2f} %, {best['gflops']:.3f} GFLOPs "
            'on the evaluation data' if best else 'no point of the curve is that cheap'))
    fixed = {key: value, 'gflops': total}
    figure = osp.join(args.out_dir, 'conditional_exit.png')
    os.makedirs(args.out_dir, exist_ok=True)
    plot_exit_curve(curve, fixed, figure)
    harness.write_report(dict(fixed=fixed, curve=curve),
                         osp.join(args.out_dir, 'conditional_exit.json'), '\n'.join(lines),
                         [figure])
    return curve


if __name__ == '__main__':
    torch.set_num_threads(max(1, int(os.environ.get('OMP_NUM_THREADS', '1'))))
    main()
