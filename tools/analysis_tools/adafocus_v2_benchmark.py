"""AdaFocusV2 evidence on held-out embedded videos, and the paper-size model complexity.

Reports, on the test split of the embedded dataset of a trained tiny AdaFocusV2:

1. top-1 of AdaFocusV2 (π's patches, random patches, centre patches) against full-frame TSN
   baselines at the global encoder's low resolution and at full resolution, with GFLOPs per
   video of each;
2. mean IoU of the chosen patches with the digit's true box, against random and centre
   patches;
3. the conditional-exit (AdaFocusV2+) curve: thresholds fitted on training-set outputs, average
   GFLOPs per video at several accuracy levels against the fixed-length model;
4. GFLOPs and parameters of the paper-size models, beside the paper's figures (spec §8-9);
5. a figure of the chosen patches drawn on frames (``patches.png`` in the work dir).

Example (the README's numbers)::

    python tools/analysis_tools/adafocus_v2_benchmark.py \
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

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

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
from projects.adafocus_v2.evaluation.inference import (  # noqa: E402
    build_loader,
    build_model,
    collect,
)

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PAPER_DIR = osp.join(REPO_ROOT, 'projects/adafocus_v2/configs')
# Paper GFLOPs per video (spec §8-9; official README and Table 5). Parameter counts are not
# given there.
PAPER_MODELS = {
    'adafocusv2_mbv2-r50_p96_4xb8-16x1x1-50e_activitynet-rgb.py': 17.6,
    'adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py': 27.0,
    'adafocusv2_mbv2-r50_p160_4xb8-16x1x1-50e_activitynet-rgb.py': 39.0,
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
                        help='skip counting the paper-size models')
    return parser.parse_args(argv)


def frame_size(cfg: Config) -> int:
    """Side of the frames the test pipeline produces (its last Resize / CenterCrop)."""
    inner = cfg.test_dataloader.dataset.get('dataset', cfg.test_dataloader.dataset)
    for step in reversed(inner.pipeline):
        if step['type'] == 'Resize':
            return int(step['scale'][0])
        if step['type'] == 'CenterCrop':
            return int(step['crop_size'])
    raise ValueError('The test pipeline has no Resize or CenterCrop to read the size from.')


def ann_file(cfg: Config, split: str) -> str:
    inner = cfg.test_dataloader.dataset.get('dataset', cfg.test_dataloader.dataset)
    return inner.ann_file.replace('test_list', f'{split}_list')


def tsn_gflops(cfg: Config) -> tuple[float, float]:
    """GFLOPs per video and parameters (M) of a full-frame TSN (backbone + head per frame)."""
    model = build_model(cfg, None)
    size = frame_size(cfg)
    num = next(s['num_clips'] for s in cfg.test_dataloader.dataset.dataset.pipeline
               if s['type'] == 'SampleFrames')
    flops, _ = count(model.backbone, torch.zeros(1, 3, size, size))
    params = sum(p.numel() for p in model.parameters()) / 1e6
    return flops * num, params


@torch.no_grad()
def tsn_top1(cfg: Config, checkpoint: str) -> float:
    model = build_model(cfg, checkpoint)
    correct = total = 0
    for batch in build_loader(cfg):
        for sample in model.test_step(batch):
            correct += int(sample.pred_score.argmax() == sample.gt_label.view(-1)[0])
            total += 1
    return correct / total


def box_iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """IoU of matching boxes (..., 4) as (x1, y1, x2, y2)."""
    lt = torch.maximum(a[..., :2], b[..., :2])
    rb = torch.minimum(a[..., 2:], b[..., 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area = (a[..., 2:] - a[..., :2]).prod(-1) + (b[..., 2:] - b[..., :2]).prod(-1)
    return inter / (area - inter)


def digit_boxes(cfg: Config, run: dict) -> torch.Tensor:
    """The true digit boxes (N, T, 4) at the sampled frames, from the dataset's annotations."""
    root = osp.dirname(ann_file(cfg, 'test'))
    with open(osp.join(root, 'annotations', 'test_boxes.json')) as f:
        by_name = {item['filename']: item['boxes'] for item in json.load(f)}
    boxes = []
    for name, inds in zip(run['filenames'], run['frame_inds'], strict=True):
        key = osp.relpath(name, osp.join(root, 'videos'))
        boxes.append(torch.tensor([by_name[key][int(i)] for i in inds], dtype=torch.float))
    return torch.stack(boxes)


def draw_patches(cfg: Config, run: dict, truth: torch.Tensor, path: str,
                 videos: int = 4) -> None:
    """Draws π's patches (green) and the digit's box (red) on the frames of a few videos."""
    import decord
    rows = []
    for v in range(videos):
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


def paper_complexity() -> list[dict]:
    rows = []
    for name, paper in PAPER_MODELS.items():
        cfg = Config.fromfile(osp.join(PAPER_DIR, name))
        result = adafocus_complexity(build_model(cfg, None), 224)
        rows.append(dict(config=name, gflops=result['total'], per_frame=result['per_frame'],
                         params=result['params'], paper_gflops=paper))
    return rows


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    torch.set_num_threads(max(1, int(os.environ.get('OMP_NUM_THREADS', '1'))))
    os.makedirs(args.work_dir, exist_ok=True)
    results: dict = {}

    cfg = Config.fromfile(args.adafocus[0])
    model = build_model(cfg, args.adafocus[1])
    size = frame_size(cfg)
    cost = adafocus_complexity(model, size)
    results['adafocus_complexity'] = cost
    runs = {kind: collect(model, build_loader(cfg), kind) for kind in
            ('policy', 'random', 'centre')}
    truth = digit_boxes(cfg, runs['policy'])
    rows = []
    for kind, run in runs.items():
        top1 = float((run['step_logits'][:, -1].argmax(-1) == run['labels']).float().mean())
        iou = box_iou(run['boxes'], truth)
        inside = ((run['boxes'][..., :2] <= truth[..., :2])
                  & (run['boxes'][..., 2:] >= truth[..., 2:])).all(-1)
        rows.append(dict(model=f'AdaFocusV2, {kind} patches', top1=top1,
                         gflops=cost['total'], iou=float(iou.mean()),
                         digit_inside=float(inside.float().mean())))
    if args.low_res:
        low_cfg = Config.fromfile(args.low_res[0])
        gflops, _ = tsn_gflops(low_cfg)
        rows.append(dict(model=f'TSN full frame {frame_size(low_cfg)}px', gflops=gflops,
                         top1=tsn_top1(low_cfg, args.low_res[1])))
    baselines = list(args.baseline)
    if args.high_res:
        baselines.append((args.high_res + [None])[:2])
    for config, checkpoint in baselines:
        base_cfg = Config.fromfile(config)
        gflops, _ = tsn_gflops(base_cfg)
        top1 = tsn_top1(base_cfg, checkpoint) if checkpoint else None
        rows.append(dict(model=f'TSN full frame {frame_size(base_cfg)}px', gflops=gflops,
                         top1=top1))
    results['accuracy'] = rows

    # Conditional exit: thresholds from the training split (official code: training set).
    calib = collect(model, build_loader(cfg, ann_file(cfg, 'train')), 'policy')
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
    plot_exit_curve(curve, fixed, osp.join(args.work_dir, 'conditional_exit.png'))
    draw_patches(cfg, policy, truth, osp.join(args.work_dir, 'patches.png'))

    if not args.skip_paper:
        results['paper_models'] = paper_complexity()
    with open(osp.join(args.work_dir, 'benchmark.json'), 'w') as f:
        json.dump(results, f, indent=2)
    print_report(results, args.work_dir)
    return results


def fmt(value, spec: str = '.1f', scale: float = 1.0) -> str:
    return '–' if value is None else format(value * scale, spec)


def print_report(results: dict, work_dir: str) -> None:
    print('\n| model | top-1 (%) | GFLOPs / video | patch IoU with digit | digit inside patch |')
    print('|---|---|---|---|---|')
    for r in results['accuracy']:
        print(f"| {r['model']} | {fmt(r['top1'], '.1f', 100)} | {r['gflops']:.3f} | "
              f"{fmt(r.get('iou'), '.3f')} | {fmt(r.get('digit_inside'), '.1f', 100)} |")
    ce = results['conditional_exit']
    print(f"\nConditional exit (fixed length: {100 * ce['fixed']['top1']:.1f} % at "
          f"{ce['fixed']['gflops']:.3f} GFLOPs)")
    print('| target top-1 (%) | AdaFocusV2+ GFLOPs | its top-1 (%) | saving |')
    print('|---|---|---|---|')
    for lv in ce['levels']:
        saving = None if lv['gflops'] is None else ce['fixed']['gflops'] / lv['gflops']
        print(f"| {fmt(lv['target_top1'], '.1f', 100)} | {fmt(lv['gflops'], '.3f')} | "
              f"{fmt(lv['top1'], '.1f', 100)} | {fmt(saving, '.2f')}x |")
    if 'paper_models' in results:
        print('\n| paper-size model | GFLOPs / video (mmengine) | per frame | params (M) | '
              'paper GFLOPs |')
        print('|---|---|---|---|---|')
        for r in results['paper_models']:
            print(f"| {r['config']} | {r['gflops']:.2f} | {r['per_frame']:.3f} | "
                  f"{r['params']:.1f} | {r['paper_gflops']} |")
    print(f'\nFigures and benchmark.json written to {work_dir}')


if __name__ == '__main__':
    main()
