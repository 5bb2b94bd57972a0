"""AdaFocusV2 evidence on held-out embedded videos, and the paper-size model complexity.

Reports, on the test split of the embedded dataset of a trained tiny AdaFocusV2:

1. top-1 of AdaFocusV2 (π's patches, random patches, centre patches) against full-frame TSN
   baselines at the global encoder's low resolution and at full resolution, with GFLOPs per
   video of each;
2. mean IoU of the chosen patches with the digit's true box, against random and centre
   patches;
3. the conditional-exit (AdaFocusV2+) curve: thresholds fitted on training-set outputs, average
   GFLOPs per video at several accuracy levels against the fixed-length model;
4. GFLOPs, parameters and measured CPU time per video of the paper-size models (random
   weights, one 224x224 video, one thread, side by side with a TSN-R50 on 16 frames), beside
   the paper's GFLOPs (official README and paper Table 5);
5. a figure of the chosen patches drawn on frames (``patches.png`` in the work dir).

Top-1 of the models' own predictions comes from ``Runner.test()`` with the config's
``AccMetric``; that of the random and centre patches (not a prediction of the model) from
the collected logits. GFLOPs: the TSNs' by :func:`projects.common.benchmark.complexity`,
AdaFocusV2's part by part by ``adafocus_complexity`` (the same mmengine counting rule).
Time: CPU ms per video of every row's model (``model.test_step`` on one test batch, divided
by its size), all timed side by side (:func:`projects.common.benchmark.time_side_by_side`).

Example (the README's numbers)::

    python projects/adafocus_v2/tools/benchmark.py \
        --adafocus CONFIG CHECKPOINT --low-res CONFIG CHECKPOINT \
        --high-res CONFIG [CHECKPOINT] [--baseline CONFIG CHECKPOINT ...] \
        --work-dir work_dirs/adafocus_v2_benchmark
"""
from __future__ import annotations

import argparse
import json
import os
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402

import projects.adafocus_v2  # noqa: E402,F401
from projects.adafocus_v2.evaluation import (  # noqa: E402
    adafocus_complexity,
    cheapest_at_accuracy,
    count,
    exit_curve,
    plot_exit_curve,
)
from projects.adafocus_v2.evaluation.inference import build_loader, collect  # noqa: E402
from projects.common import benchmark as harness  # noqa: E402

REPO_ROOT = osp.abspath(osp.join(osp.dirname(__file__), '../../..'))
PAPER_DIR = osp.join(REPO_ROOT, 'projects/adafocus_v2/configs')
# Paper GFLOPs per video (official README's ActivityNet zoo and paper Table 5). Parameter
# counts are not given there.
PAPER_MODELS = {
    'adafocusv2_mbv2-r50_p96_4xb8-16x1x1-50e_activitynet-rgb.py': 17.6,
    'adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py': 27.0,
    'adafocusv2_mbv2-r50_p160_4xb8-16x1x1-50e_activitynet-rgb.py': 39.0,
    'adafocusv2_r50-r50_p96_4xb8-16x1x1-50e_activitynet-rgb.py': 24.8,
    'adafocusv2_r50-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py': 34.1,
    'adafocusv2_r50-r50_p160_4xb8-16x1x1-50e_activitynet-rgb.py': 46.1,
    'adafocusv2-tsm_mbv2-r50_p128_4xb8-8x1x1-50e_sthv1-rgb.py': 18.5,
    'adafocusv2-tsm_mbv2-r50_p144_4xb8-8x1x1-50e_sthv1-rgb.py': 23.5,
    'adafocusv2-tsm_mbv2-r50_p160_4xb8-8x1x1-50e_sthv1-rgb.py': 27.5,
    'adafocusv2-tsm_mbv2-r50_p176_4xb8-8x1x1-50e_sthv1-rgb.py': 33.7,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--adafocus', nargs=2, metavar=('CONFIG', 'CHECKPOINT'),
                        required=True, help='trained tiny AdaFocusV2')
    parser.add_argument('--low-res', nargs=2, metavar=('CONFIG', 'CHECKPOINT'),
                        help='trained full-frame baseline at the global encoder resolution')
    parser.add_argument('--high-res', nargs='+', metavar='CONFIG [CHECKPOINT]',
                        help='full-frame baseline at full resolution (checkpoint optional: '
                        'without it only its GFLOPs are reported)')
    parser.add_argument('--baseline', nargs=2, action='append', default=[],
                        metavar=('CONFIG', 'CHECKPOINT'),
                        help='another trained full-frame TSN to compare with (repeatable), '
                        'e.g. one at the resolution that matches AdaFocusV2\'s GFLOPs')
    parser.add_argument('--work-dir', default='work_dirs/adafocus_v2_benchmark')
    parser.add_argument('--skip-paper', action='store_true',
                        help='skip counting and timing the paper-size models')
    parser.add_argument('--timing-repeats', type=int, default=5,
                        help='timed calls of each model (CPU time per video)')
    return parser.parse_args(argv)


def tsn_gflops(cfg: Config) -> float:
    """GFLOPs per video of a full-frame TSN: its backbone on every frame, counted by the rule
    of ``adafocus_complexity`` (batch norm left out; the head, one fc of channels x classes
    multiply-adds per video, too)."""
    size = harness.frame_size(cfg)
    frames = next(s['num_clips'] for s in harness.dataset_cfg(cfg).pipeline
                  if s['type'] == 'SampleFrames')
    backbone = harness.load_model(cfg).backbone  # in eval mode (load_model)
    with torch.no_grad():
        return count(backbone, torch.zeros(1, 3, size, size)) * frames


def hand_top1(run: dict) -> float:
    """Top-1 of the last step's logits of a :func:`collect` run."""
    return float((run['step_logits'][:, -1].argmax(-1) == run['labels']).float().mean())


def box_iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """IoU of matching boxes (..., 4) as (x1, y1, x2, y2)."""
    lt = torch.maximum(a[..., :2], b[..., :2])
    rb = torch.minimum(a[..., 2:], b[..., 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area = (a[..., 2:] - a[..., :2]).prod(-1) + (b[..., 2:] - b[..., :2]).prod(-1)
    return inter / (area - inter)


def digit_boxes(cfg: Config, run: dict) -> torch.Tensor:
    """The true digit boxes (N, T, 4) at the sampled frames, from the dataset's annotations."""
    root = osp.dirname(harness.dataset_cfg(cfg).ann_file)
    with open(osp.join(root, 'annotations', 'test_boxes.json')) as f:
        by_name = {item['filename']: item['boxes'] for item in json.load(f)}
    boxes = []
    for name, inds in zip(run['filenames'], run['frame_inds'], strict=True):
        key = osp.relpath(name, osp.join(root, 'videos'))
        boxes.append(torch.tensor([by_name[key][int(i)] for i in inds], dtype=torch.float))
    return torch.stack(boxes)


def draw_patches(cfg: Config, run: dict, truth: torch.Tensor, path: str,
                 videos: int = 4) -> None:
    """Draws π's patches (green) and the digit's box (red) on the frames of the first
    ``videos`` videos (all, if the split has fewer)."""
    import decord
    rows = []
    for v in range(min(videos, len(run['filenames']))):
        reader = decord.VideoReader(run['filenames'][v])
        tiles = []
        for t, ind in enumerate(run['frame_inds'][v].tolist()):
            frame = cv2.resize(reader[ind].asnumpy()[..., ::-1], None, fx=4, fy=4,
                               interpolation=cv2.INTER_NEAREST).copy()
            for box, colour in ((truth[v, t], (0, 0, 255)), (run['boxes'][v, t], (0, 255, 0))):
                x1, y1, x2, y2 = (4 * box).round().int().tolist()
                cv2.rectangle(frame, (x1, y1), (x2 - 1, y2 - 1), colour, 2)
            cv2.putText(frame, f't={t + 1}', (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                        (255, 255, 255), 1)
            tiles.append(frame)
        rows.append(np.concatenate(tiles, axis=1))
    cv2.imwrite(path, np.concatenate(rows, axis=0))


# The full-frame baseline the paper compares with on ActivityNet: TSN-R50 on 16 frames.
TSN_R50 = dict(type='Recognizer2D',
               backbone=dict(type='ResNet', depth=50, pretrained=None, norm_eval=False),
               cls_head=dict(type='TSNHead', num_classes=200, in_channels=2048,
                             average_clips='prob'),
               data_preprocessor=dict(type='ActionDataPreprocessor', format_shape='NCHW'))


def paper_complexity(repeats: int = 3) -> list[dict]:
    """GFLOPs, parameters and CPU ms per 224x224 video of every paper-size model."""
    rows, calls = [], {}
    for name, paper in PAPER_MODELS.items():
        model = harness.load_model(Config.fromfile(osp.join(PAPER_DIR, name)))
        result = adafocus_complexity(model, 224)
        frames = model.num_frames + (model.num_focus_frames or 0)
        video = torch.randn(1, frames, 3, 224, 224)
        calls[name] = lambda model=model, video=video: model.run(video)
        rows.append(dict(config=name, gflops=result['total'], per_frame=result['per_frame'],
                         params=result['params'], paper_gflops=paper))
    tsn = harness.load_model(Config(dict(model=TSN_R50, default_scope='mmaction')))
    clip = torch.randn(1, 16, 3, 224, 224)
    calls['tsn'] = lambda: tsn.cls_head(tsn(clip, mode='tensor'), num_segs=16)
    with torch.no_grad():
        tsn_gflops_ = count(tsn.backbone, clip[0, :1]) * 16
        seconds = harness.time_side_by_side(calls, repeats)
    rows.append(dict(config='TSN-R50, 16 frames (full frame, the paper\'s baseline)',
                     gflops=tsn_gflops_, per_frame=tsn_gflops_ / 16,
                     params=harness.count_params(tsn) / 1e6, paper_gflops=None))
    for row, name in zip(rows, calls, strict=True):
        row['ms'] = 1e3 * seconds[name]
    return rows


def time_per_video(models: dict[str, tuple], repeats: int) -> dict[str, float]:
    """CPU ms per video of ``{name: (model, test batch)}``, timed side by side."""
    calls = {}
    for name, (model, batch) in models.items():
        calls[name] = lambda model=model, batch=batch: model.test_step(batch)
    with torch.no_grad():
        seconds = harness.time_side_by_side(calls, repeats)
    return {name: 1e3 * seconds[name] / len(batch['inputs'])
            for name, (_, batch) in models.items()}


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    torch.set_num_threads(max(1, int(os.environ.get('OMP_NUM_THREADS', '1'))))
    os.makedirs(args.work_dir, exist_ok=True)
    results: dict = {}

    def runner_top1(config: Config, checkpoint: str, name: str) -> float:
        work_dir = osp.join(args.work_dir, 'test', name)
        return harness.evaluate(config, checkpoint, work_dir)['acc/top1']

    cfg = Config.fromfile(args.adafocus[0])
    model = harness.load_model(cfg, args.adafocus[1])
    cost = adafocus_complexity(model, harness.frame_size(cfg))
    results['adafocus_complexity'] = cost
    runs = {kind: collect(model, build_loader(cfg), kind) for kind in
            ('policy', 'random', 'centre')}
    truth = digit_boxes(cfg, runs['policy'])
    rows = []
    for kind, run in runs.items():
        top1 = (runner_top1(cfg, args.adafocus[1], 'adafocus') if kind == 'policy'
                else hand_top1(run))
        iou = box_iou(run['boxes'], truth)
        inside = ((run['boxes'][..., :2] <= truth[..., :2])
                  & (run['boxes'][..., 2:] >= truth[..., 2:])).all(-1)
        rows.append(dict(model=f'AdaFocusV2, {kind} patches', top1=top1,
                         gflops=cost['total'], iou=float(iou.mean()),
                         digit_inside=float(inside.float().mean())))
    timed = {'adafocus': (model, next(iter(build_loader(cfg))))}
    tsns = [args.low_res] if args.low_res else []
    tsns += args.baseline
    if args.high_res:
        tsns.append((args.high_res + [None])[:2])
    for i, (config, checkpoint) in enumerate(tsns):
        tsn_cfg = Config.fromfile(config)
        rows.append(dict(model=f'TSN full frame {harness.frame_size(tsn_cfg)}px',
                         gflops=tsn_gflops(tsn_cfg),
                         top1=runner_top1(tsn_cfg, checkpoint, f'tsn_{i}') if checkpoint else None))
        timed[f'tsn_{i}'] = (harness.load_model(tsn_cfg, checkpoint),
                             next(iter(build_loader(tsn_cfg))))
    ms = time_per_video(timed, args.timing_repeats)
    for row in rows:
        row['ms'] = ms['adafocus'] if row['model'].startswith('AdaFocusV2') else None
    for i, row in enumerate(r for r in rows if r['model'].startswith('TSN')):
        row['ms'] = ms[f'tsn_{i}']
    results['accuracy'] = rows

    # Conditional exit: thresholds from the training split (official code: training set).
    calib = collect(model, build_loader(cfg, harness.train_ann_file(cfg)), 'policy')
    policy = runs['policy']
    steps = policy['step_logits'].shape[1]
    curve = exit_curve(calib['step_logits'], policy['step_logits'], policy['labels'],
                       cost['total'] / steps)
    fixed = dict(top1=rows[0]['top1'], gflops=cost['total'])
    levels = []
    for drop in (0.0, 0.01, 0.02, 0.05, 0.10):
        point = cheapest_at_accuracy(curve, fixed['top1'] - drop)
        levels.append(dict(target_top1=fixed['top1'] - drop,
                           gflops=None if point is None else point['gflops'],
                           top1=None if point is None else point['top1'],
                           q=None if point is None else point['q']))
    results['conditional_exit'] = dict(fixed=fixed, levels=levels, curve=curve)
    figures = [osp.join(args.work_dir, name) for name in ('conditional_exit.png', 'patches.png')]
    plot_exit_curve(curve, fixed, figures[0])
    draw_patches(cfg, policy, truth, figures[1])

    if not args.skip_paper:
        results['paper_models'] = paper_complexity(args.timing_repeats)
    harness.write_report(results, osp.join(args.work_dir, 'benchmark.json'), report(results),
                         figures)
    return results


def fmt(value, spec: str = '.1f', scale: float = 1.0) -> str:
    return '–' if value is None else format(value * scale, spec)


def report(results: dict) -> str:
    """The accuracy, conditional-exit and paper-size tables in markdown."""
    accuracy = harness.markdown_table(
        ['model', 'top-1 (%)', 'GFLOPs / video', 'CPU ms / video', 'patch IoU with digit',
         'digit inside patch'],
        [[r['model'], fmt(r['top1'], '.1f', 100), f"{r['gflops']:.3f}", fmt(r.get('ms')),
          fmt(r.get('iou'), '.3f'), fmt(r.get('digit_inside'), '.1f', 100)]
         for r in results['accuracy']])
    ce = results['conditional_exit']
    levels = []
    for lv in ce['levels']:
        saving = None if lv['gflops'] is None else ce['fixed']['gflops'] / lv['gflops']
        levels.append([fmt(lv['target_top1'], '.1f', 100), fmt(lv['gflops'], '.3f'),
                       fmt(lv['top1'], '.1f', 100), f"{fmt(saving, '.2f')}x"])
    sections = [accuracy,
                f"Conditional exit (fixed length: {100 * ce['fixed']['top1']:.1f} % at "
                f"{ce['fixed']['gflops']:.3f} GFLOPs)\n" + harness.markdown_table(
                    ['target top-1 (%)', 'AdaFocusV2+ GFLOPs', 'its top-1 (%)', 'saving'],
                    levels)]
    if 'paper_models' in results:
        sections.append(harness.markdown_table(
            ['paper-size model', 'GFLOPs / video (mmengine)', 'per frame', 'params (M)',
             'paper GFLOPs', 'CPU ms / video'],
            [[r['config'], f"{r['gflops']:.2f}", f"{r['per_frame']:.3f}", f"{r['params']:.1f}",
              fmt(r['paper_gflops']), fmt(r.get('ms'), '.0f')]
             for r in results['paper_models']]))
    return '\n\n'.join(sections)


if __name__ == '__main__':
    main()
