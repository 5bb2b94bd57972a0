"""Conditional exit (AdaFocusV2+) for a trained AdaFocusV2: the accuracy-vs-GFLOPs curve.

No retraining (as the official ``test_early_exit.py`` / ``ops/early_exit.py``): the step
logits of f_C are collected on the training split (to fit the exit thresholds for each q of
the budget sweep) and on the evaluation split; the tool prints the curve and saves a plot.
With ``--budget`` it picks the operating point as the method prescribes: the thresholds
whose expected cost on the calibration (training) data meets the budget, never looking at
the evaluation labels. Single-label data is scored by top-1, multi-label data (ActivityNet,
FCVID: multi-hot targets) by mAP, as the official code. The fixed-length score is
``Runner.test()``'s, with the config's ``AccMetric``.

With ``--save-config`` the budget's thresholds are written into a config that inherits
CONFIG and sets ``model.early_exit``: ``tools/test.py`` then runs it frame by frame and each
video stops at its exit (:meth:`AdaFocusV2.stream`). ``--time N`` measures, side by side on N
evaluation videos one at a time, the CPU time per video of all steps batched and of that
streaming inference.

Example::

    python projects/adafocus_v2/tools/conditional_exit.py CONFIG CHECKPOINT \
        --out-dir work_dirs/adafocus_v2_exit [--budget 0.3] [--confidence max_softmax] \
        [--save-config work_dirs/adafocus_v2_exit/early_exit.py] [--time 50]
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
    parser.add_argument('--save-config', help='write a config with the budget\'s thresholds '
                        '(needs --budget)')
    parser.add_argument('--time', type=int, default=0, metavar='N',
                        help='time batched vs frame-by-frame inference on N videos '
                        '(needs --budget)')
    parser.add_argument('--out-dir', default='work_dirs/adafocus_v2_conditional_exit')
    args = parser.parse_args(argv)
    if (args.save_config or args.time) and args.budget is None:
        parser.error('--save-config and --time need --budget (the operating point).')
    return args


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
    timing = None
    if args.budget is not None:
        best = choose_for_budget(curve, args.budget)
        lines.append(f'budget {args.budget} GFLOPs (on the calibration data): ' + (
            f"q={best['q']:.1f}, {label} {100 * best[key]:.2f} %, {best['gflops']:.3f} GFLOPs "
            'on the evaluation data' if best else 'no point of the curve is that cheap'))
        if best is not None and args.save_config:
            save_config(args.config, args.save_config, best['thresholds'], args.confidence)
            lines.append(f'thresholds written to {args.save_config}')
        if best is not None and args.time:
            timing = time_streaming(model, cfg, args.eval_ann, best['thresholds'],
                                    args.confidence, args.time)
            lines.append(
                f"CPU time per video ({args.time} videos, one at a time): all steps batched "
                f"{timing['batched_ms']:.1f} ms, frame by frame with exits "
                f"{timing['stream_ms']:.1f} ms ({timing['speedup']:.2f}x)")
    fixed = {key: value, 'gflops': total}
    figure = osp.join(args.out_dir, 'conditional_exit.png')
    os.makedirs(args.out_dir, exist_ok=True)
    plot_exit_curve(curve, fixed, figure)
    harness.write_report(dict(fixed=fixed, curve=curve, timing=timing),
                         osp.join(args.out_dir, 'conditional_exit.json'), '\n'.join(lines),
                         [figure])
    return curve


def finite(values: list[float]) -> list[float]:
    """Thresholds as config literals: ±inf as ±1e30 (no step reaches either)."""
    return [max(min(v, 1e30), -1e30) for v in values]


def save_config(config: str, path: str, thresholds: list[float], kind: str) -> None:
    """Writes a config that inherits ``config`` and switches early exit on."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w') as f:
        f.write(f"# Conditional exit (AdaFocusV2+) thresholds fitted by conditional_exit.py.\n"
                f"_base_ = [{osp.abspath(config)!r}]\n"
                f"model = dict(early_exit=dict(thresholds={finite(thresholds)!r}, "
                f"confidence={kind!r}))\n")


def time_streaming(model, cfg, ann_file: str | None, thresholds: list[float], kind: str,
                   num_videos: int) -> dict[str, float]:
    """Median CPU time per video, batch 1, of all steps vs frame by frame with exits."""
    loader = build_loader(cfg, ann_file, batch_size=1)
    videos = []
    for batch in loader:
        videos.append(model.data_preprocessor(batch, False)['inputs'])
        if len(videos) == num_videos:
            break
    model.set_early_exit(thresholds, kind)

    def cycling(run):
        """A callable running ``run`` on the next video: both see the same sequence."""
        index = iter(range(10 ** 9))
        return lambda: run(videos[next(index) % len(videos)])

    seconds = {name: [] for name in ('batched', 'stream')}
    for _ in range(3):
        out = harness.time_side_by_side(
            dict(batched=cycling(torch.no_grad()(model.run)), stream=cycling(model.stream)),
            repeats=len(videos), warmup=0)
        for name, value in out.items():
            seconds[name].append(value)
    model.set_early_exit(None)
    batched_ms = 1000 * sorted(seconds['batched'])[1]
    stream_ms = 1000 * sorted(seconds['stream'])[1]
    return dict(batched_ms=batched_ms, stream_ms=stream_ms, speedup=batched_ms / stream_ms)


if __name__ == '__main__':
    torch.set_num_threads(max(1, int(os.environ.get('OMP_NUM_THREADS', '1'))))
    main()
