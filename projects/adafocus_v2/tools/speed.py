"""CPU time per video of a paper-size AdaFocusV2: all steps batched vs frame by frame.

Random weights (time does not depend on them). The frame-by-frame path
(:meth:`AdaFocusV2.stream`) is forced to exit at step k by thresholds of -inf at step k and
+inf before, so the table shows what conditional exit saves in time when videos stop after
k of the 16 frames, beside the GFLOPs the paper counts (k/16 of the full cost). Timed side by
side in one process (:func:`projects.common.benchmark.time_side_by_side`, CPU time, one
thread by default), one video at a time.

With ``--knobs``, also the speed knobs users reach for (``channels_last``, ``fuse_bn``: each
convolution's batch norm folded in by mmcv's ``fuse_conv_bn``, ``bf16`` autocast,
``compile``), each timed side by side against plain fp32 with the largest output difference,
for the glance f_G alone (all T frames), the focus f_L alone (T patches) and the whole batched
model (the last one's output: f_C's logits).

Example::

    OMP_NUM_THREADS=1 python projects/adafocus_v2/tools/speed.py --exit-steps 4 6 8 16
    OMP_NUM_THREADS=1 python projects/adafocus_v2/tools/speed.py --exit-steps 16 \
        --knobs channels_last fuse_bn bf16
"""
from __future__ import annotations

import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from torch import nn  # noqa: E402

import projects.adafocus_v2  # noqa: E402,F401
from projects.adafocus_v2.evaluation import adafocus_complexity  # noqa: E402
from projects.common import benchmark as harness  # noqa: E402

CONFIG = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs',
                  'adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=CONFIG)
    parser.add_argument('--exit-steps', type=int, nargs='+', default=[4, 8, 16],
                        help='steps (1-based) after which every video exits')
    parser.add_argument('--size', type=int, default=224, help='frame side')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--plain-layout', action='store_true',
                        help='build the model with channels_last=False (the default layout '
                        'the knobs are measured against in the README)')
    parser.add_argument('--knobs', nargs='*', default=[], choices=harness.SPEED_KNOBS,
                        help='also time these speed knobs for f_G, f_L and the whole model')
    return parser.parse_args(argv)


class Batched(nn.Module):
    """The whole batched forward pass as a module returning f_C's logits (for the knobs)."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, video: torch.Tensor) -> torch.Tensor:
        return self.model.run(video)['cls']


def time_knobs(model: nn.Module, video: torch.Tensor, knobs: list[str],
               repeats: int) -> dict[str, dict]:
    """ms per video of f_G, f_L and the whole model, plain and with each knob."""
    glance_frames, focus_frames = model.split_frames(video)
    patch = model.patch_size
    parts = {
        'glance f_G': (model.global_encoder, glance_frames.flatten(0, 1)),
        'focus f_L': (model.local_encoder, focus_frames.flatten(0, 1)[..., :patch, :patch]),
        'whole model, batched': (Batched(model), video),
    }
    return {name: harness.time_knobs({name: module}, inputs, knobs, repeats)[name]
            for name, (module, inputs) in parts.items()}


def forced_exit(steps: int, exit_step: int) -> list[float]:
    """Thresholds that make every video exit after ``exit_step`` steps."""
    return [float('inf')] * (exit_step - 1) + [-float('inf')] * (steps - exit_step + 1)


def main(argv: list[str] | None = None) -> list[dict]:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.plain_layout:
        cfg.model.channels_last = False
    model = harness.load_model(cfg)
    steps = model.num_frames
    if any(not 1 <= k <= steps for k in args.exit_steps):
        raise ValueError(f'--exit-steps must lie in 1..{steps}, got {args.exit_steps}.')
    total = adafocus_complexity(model, args.size)['total']
    video = torch.randn(1, steps, 3, args.size, args.size)

    def batched():
        with torch.no_grad():
            model.run(video)

    def streamed(k):
        def run():
            model.set_early_exit(forced_exit(steps, k))
            model.stream(video)
        return run

    callables = {'all steps, batched': batched}
    callables.update({f'frame by frame, exit after {k}': streamed(k) for k in args.exit_steps})
    seconds = harness.time_side_by_side(callables, repeats=args.repeats)
    model.set_early_exit(None)
    rows, base = [], seconds['all steps, batched']
    for name, value in seconds.items():
        k = steps if name.startswith('all') else int(name.rsplit(' ', 1)[1])
        rows.append(dict(path=name, gflops=total * k / steps, ms=1000 * value,
                         speedup=base / value))
    print(f'{osp.basename(args.config)}, {args.size}x{args.size} frames, one video, '
          f'{torch.get_num_threads()} thread(s), median of {args.repeats}')
    print(harness.markdown_table(
        ['inference', 'GFLOPs / video', 'CPU ms / video', 'speed-up'],
        [[r['path'], f"{r['gflops']:.2f}", f"{r['ms']:.0f}", f"{r['speedup']:.2f}x"]
         for r in rows]))
    if args.knobs:
        knobs = time_knobs(model, video, args.knobs, args.repeats)
        for part, runs in knobs.items():
            print(f'\n{part}, speed knobs\n' + harness.markdown_table(
                ['variant', 'CPU ms / video', 'speed-up', 'output diff vs fp32 (max abs / rel)'],
                [[k, f"{r['ms']:.0f}", f"{r['speedup']:.2f}x",
                  f"{r['max_abs_diff']:.1e} / {r['max_rel_diff']:.1e}"]
                 for k, r in runs.items()]))
        rows.append(dict(knobs=knobs))
    return rows


if __name__ == '__main__':
    torch.set_num_threads(max(1, int(os.environ.get('OMP_NUM_THREADS', '1'))))
    main()
