"""Conditional exit (AdaFocusV2+) for a trained AdaFocusV2: the accuracy-vs-GFLOPs curve.

No retraining (spec §6): the step logits of f_C are collected on the training split (to fit
the exit thresholds for each q of the budget sweep) and on the evaluation split; the tool
prints the curve, the cheapest point for a budget, and saves a plot.

Example::

    python tools/analysis_tools/adafocus_v2_conditional_exit.py CONFIG CHECKPOINT \
        --out-dir work_dirs/adafocus_v2_exit [--budget 0.3] [--confidence max_softmax]
"""
from __future__ import annotations

import argparse
import json
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402

import projects.adafocus_v2  # noqa: E402,F401
from projects.adafocus_v2.evaluation import (  # noqa: E402
    CONFIDENCES,
    adafocus_complexity,
    exit_curve,
    plot_exit_curve,
)
from projects.adafocus_v2.evaluation.inference import (  # noqa: E402
    build_loader,
    build_model,
    collect,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='AdaFocusV2+ conditional-exit curve')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--calib-ann', help='list file of the calibration (training) videos; '
                        "default: the test list file with 'test' replaced by 'train'")
    parser.add_argument('--eval-ann', help='list file to evaluate; default: the test list')
    parser.add_argument('--frame-size', type=int, default=None,
                        help='side of the input frames for the GFLOPs count (default: the '
                        "test pipeline's last Resize / CenterCrop)")
    parser.add_argument('--confidence', choices=CONFIDENCES, default='max_logit')
    parser.add_argument('--budget', type=float, help='GFLOPs per video to stay within')
    parser.add_argument('--out-dir', default='work_dirs/adafocus_v2_conditional_exit')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[dict]:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    model = build_model(cfg, args.checkpoint)
    inner = cfg.test_dataloader.dataset.get('dataset', cfg.test_dataloader.dataset)
    calib_ann = args.calib_ann or inner.ann_file.replace('test', 'train')
    size = args.frame_size or next(
        int(s['scale'][0]) if s['type'] == 'Resize' else int(s['crop_size'])
        for s in reversed(inner.pipeline) if s['type'] in ('Resize', 'CenterCrop'))
    total = adafocus_complexity(model, size)['total']
    calib = collect(model, build_loader(cfg, calib_ann))
    evaluated = collect(model, build_loader(cfg, args.eval_ann))
    steps = evaluated['step_logits'].shape[1]
    curve = exit_curve(calib['step_logits'], evaluated['step_logits'], evaluated['labels'],
                       total / steps, kind=args.confidence)
    top1 = float((evaluated['step_logits'][:, -1].argmax(-1) == evaluated['labels'])
                 .float().mean())
    print(f'fixed length: top-1 {100 * top1:.2f} % at {total:.3f} GFLOPs per video')
    print('| q | top-1 (%) | GFLOPs / video | average steps |\n|---|---|---|---|')
    for p in curve:
        print(f"| {p['q']:.1f} | {100 * p['top1']:.2f} | {p['gflops']:.3f} | "
              f"{p['avg_steps']:.2f} |")
    if args.budget is not None:
        within = [p for p in curve if p['gflops'] <= args.budget]
        best = max(within, key=lambda p: p['top1']) if within else None
        print(f'budget {args.budget} GFLOPs: ' + (
            f"q={best['q']:.1f}, top-1 {100 * best['top1']:.2f} %, {best['gflops']:.3f} "
            'GFLOPs' if best else 'no point of the curve is that cheap'))
    os.makedirs(args.out_dir, exist_ok=True)
    plot_exit_curve(curve, dict(top1=top1, gflops=total),
                    osp.join(args.out_dir, 'conditional_exit.png'))
    with open(osp.join(args.out_dir, 'conditional_exit.json'), 'w') as f:
        json.dump(dict(fixed=dict(top1=top1, gflops=total), curve=curve), f, indent=2)
    return curve


if __name__ == '__main__':
    torch.set_num_threads(max(1, int(os.environ.get('OMP_NUM_THREADS', '1'))))
    main()
