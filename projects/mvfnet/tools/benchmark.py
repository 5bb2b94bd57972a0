"""MVFNet evidence: held-out top-1 on the digit-order videos, cost and time per clip.

Reports

1. test-split top-1 (``Runner.test()`` with the config's ``AccMetric``) of trained tiny models
   given as ``--model NAME CONFIG CHECKPOINT [CHECKPOINT ...]`` (one checkpoint per seed:
   mean, standard deviation and every seed), next to chance (1/6);
2. per clip of the tiny models: parameters, GFLOPs and measured CPU time, side by side;
3. at paper size (ResNet-50, one clip of 4 frames of 224x224, 400 classes): parameters and
   GFLOPs of MVFNet, TSN (MVFNet's C2D special case, alpha = 0) and TSM next to the official
   24.34 M / 16.454 GFLOPs, and measured CPU time per clip of the three (``--skip-paper``
   skips this part).

Cost is counted with :func:`projects.common.benchmark.complexity` (mmengine; one multiply-add
is one FLOP; convolutions, linear layers, batch norm and adaptive pooling): on these models
the same rule as the official ``count_flops.py`` (``codes/utils/flops_hook.py``: multiply-adds
of convolutions and linear layers, 2 per element for batch norm in eval mode, pooling; h-swish
not counted). The clip goes through the backbone and the classification head. Times are the
median CPU time of interleaved calls (:func:`~projects.common.benchmark.time_side_by_side`)
with one thread.

Example (the README's numbers)::

    python projects/mvfnet/tools/benchmark.py \
        --model TSN CONFIG CKPT_SEED0 CKPT_SEED1 CKPT_SEED2 --model TSM CONFIG CKPT ... \
        --work-dir work_dirs/mvfnet_benchmark
"""
from __future__ import annotations

import argparse
import os.path as osp
import statistics
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from torch import nn  # noqa: E402

import projects.mvfnet  # noqa: E402,F401
from projects.common import benchmark as harness  # noqa: E402
from projects.common.config import load_config  # noqa: E402

REPO_ROOT = osp.abspath(osp.join(osp.dirname(__file__), '../../..'))
PAPER_CONFIG = osp.join(REPO_ROOT, 'projects/mvfnet/configs/'
                        'mvfnet_imagenet-pretrained-r50_8xb12-4x16x1-150e_kinetics400-rgb.py')
# Official configs/MVFNet/K400/mvf_kinetics400_2d_rgb_r50_dense.py (docstring).
PAPER_PARAMS_M, PAPER_GFLOPS = 24.34, 16.454
CHANCE = 1 / 6


class ClipForward(nn.Module):
    """A recognizer's forward on (1, T, 3, H, W) clips: backbone, then the head's scores."""

    def __init__(self, recognizer: nn.Module) -> None:
        super().__init__()
        self.recognizer = recognizer

    def forward(self, clip: torch.Tensor) -> torch.Tensor:
        feats, kwargs = self.recognizer.extract_feat(clip)
        return self.recognizer.cls_head(feats, num_segs=kwargs['num_segs'])


def clip_shape(cfg: Config) -> tuple[int, int, int, int]:
    """(T, 3, H, W) of one test clip: frames from SampleFrames, side from the frames on disk
    or the pipeline's last resize / crop."""
    pipeline = harness.dataset_cfg(cfg).pipeline
    sample = next(s for s in pipeline if s['type'] == 'SampleFrames')
    frames = sample['clip_len'] * sample['num_clips']
    try:
        size = harness.frame_size(cfg)
    except ValueError:  # the embedded videos are read at their own size
        size = cfg.train_dataloader.dataset.builder.get('frame_size', 32)
    return frames, 3, size, size


def cost_and_time(models: dict[str, nn.Module], shape: tuple[int, ...],
                  repeats: int) -> dict[str, dict]:
    """Parameters, GFLOPs and median CPU seconds of one clip, for each model."""
    clip = torch.randn(1, *shape)
    forwards = {name: ClipForward(model).eval() for name, model in models.items()}
    rows = {name: harness.complexity(fwd, inputs=clip) for name, fwd in forwards.items()}
    with torch.no_grad():
        times = harness.time_side_by_side(
            {name: (lambda f=fwd: f(clip)) for name, fwd in forwards.items()}, repeats)
    for name, row in rows.items():
        row.update(params=harness.count_params(models[name]), seconds=times[name])
    return rows


def paper_models() -> dict[str, nn.Module]:
    """MVFNet-R50, TSN-R50 (alpha = 0) and TSM-R50 (mmaction2's ResNetTSM) for 4-frame clips."""
    base = load_config(PAPER_CONFIG)
    base.model.backbone.pretrained = None
    variants = {
        'MVFNet-R50 (THW)': {},
        'TSN-R50 (MVFNet, alpha = 0)': dict(alpha=0.0),
        'TSM-R50 (mmaction2 ResNetTSM)': dict(
            _delete_=True, type='ResNetTSM', depth=50, num_segments=4, shift_div=8,
            pretrained2d=False, norm_eval=False),
    }
    models = {}
    for name, backbone in variants.items():
        cfg = Config(base.to_dict())
        cfg.merge_from_dict(dict(model=dict(backbone=backbone)))
        models[name] = harness.load_model(cfg)
    return models


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--model', nargs='+', action='append', default=[],
                        metavar='NAME CONFIG CHECKPOINT',
                        help='a trained tiny model: name, config, one checkpoint per seed')
    parser.add_argument('--work-dir', default='work_dirs/mvfnet_benchmark')
    parser.add_argument('--repeats', type=int, default=20, help='timed calls per tiny model')
    parser.add_argument('--paper-repeats', type=int, default=5,
                        help='timed calls per paper-size model')
    parser.add_argument('--skip-paper', action='store_true')
    args = parser.parse_args(argv)
    for entry in args.model:
        if len(entry) < 3:
            parser.error(f'--model {" ".join(entry)}: give NAME CONFIG CHECKPOINT [...]')
    return args


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    torch.set_num_threads(1)
    results: dict = dict(tiny=[], paper=[])
    tiny_models, shape = {}, None
    for name, config, *checkpoints in args.model:
        cfg = load_config(config)
        top1 = [harness.evaluate(cfg, ckpt, osp.join(args.work_dir, 'test'))['acc/top1']
                for ckpt in checkpoints]
        results['tiny'].append(dict(
            model=name, config=osp.basename(config), top1_seeds=top1,
            top1_mean=statistics.mean(top1),
            top1_std=statistics.stdev(top1) if len(top1) > 1 else 0.0))
        tiny_models[name] = harness.load_model(cfg, checkpoints[0])
        shape = shape or clip_shape(cfg)
    if tiny_models:
        costs = cost_and_time(tiny_models, shape, args.repeats)
        for row in results['tiny']:
            row.update(costs[row['model']])
        results['tiny_clip'] = list(shape)
    if not args.skip_paper:
        costs = cost_and_time(paper_models(), (4, 3, 224, 224), args.paper_repeats)
        results['paper'] = [dict(model=name, **row) for name, row in costs.items()]
    harness.write_report(results, osp.join(args.work_dir, 'benchmark.json'), report(results))
    return results


def report(results: dict) -> str:
    sections = []
    if results['tiny']:
        base = results['tiny'][0]['seconds']
        sections.append(
            f'Digit order, held-out test split (chance {CHANCE:.1%}); one clip of '
            f"{'x'.join(map(str, results['tiny_clip']))}:\n\n" + harness.markdown_table(
                ['model', 'top-1 (%) mean ± std', 'seeds', 'params (M)', 'GFLOPs / clip',
                 'CPU ms / clip', 'time vs first row'],
                [[r['model'], f"{100 * r['top1_mean']:.1f} ± {100 * r['top1_std']:.1f}",
                  ', '.join(f'{100 * t:.1f}' for t in r['top1_seeds']),
                  f"{r['params'] / 1e6:.3f}", f"{r['gflops']:.4f}",
                  f"{1e3 * r['seconds']:.2f}", f"{r['seconds'] / base:.3f}x"]
                 for r in results['tiny']]))
    if results['paper']:
        sections.append(
            'Paper size, one 4x224x224 clip, 400 classes (official MVFNet-R50: '
            f'{PAPER_PARAMS_M} M, {PAPER_GFLOPS} GFLOPs):\n\n' + harness.markdown_table(
                ['model', 'params (M)', 'GFLOPs / clip', 'vs official GFLOPs',
                 'CPU s / clip'],
                [[r['model'], f"{r['params'] / 1e6:.3f}", f"{r['gflops']:.3f}",
                  f"{100 * (r['gflops'] / PAPER_GFLOPS - 1):+.2f} %", f"{r['seconds']:.3f}"]
                 for r in results['paper']]))
    return '\n\n'.join(sections)


if __name__ == '__main__':
    main()
