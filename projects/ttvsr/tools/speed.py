"""TTVSR size and speed: parameters, time per frame against BasicVSR, the gather op backends.

Reports, side by side in one process:

1. parameters of the paper-size ``TTVSRNet`` beside the paper's 6.8M and the 6,773,615 counted
   from the layer shapes of the official ``mmedit/models/backbones/sr_backbones/ttvsrnet.py``,
   and of mmagic's ``BasicVSRNet(64, 30)`` beside the 6,291,311 counted the same way (the
   BasicVSR paper's 6.3M);
2. inference time per frame of ``TTVSRNet`` and ``BasicVSRNet`` on the same random clip
   (n=1, t frames of size x size), timed side by side by
   :func:`projects.common.benchmark.time_side_by_side` (the two models alternate in every
   repeat; median over the repeats; CPU time of the process on the CPU, wall time on a GPU),
   and their ratio;
3. the trajectory gather of one ``LTAM`` call at that size (T = ceil(t / frame_stride)
   keyframes of 1024-d key tokens, forward, and forward + backward), PyTorch against the C++
   extension when ``--build-ext`` builds it. The models are timed with the PyTorch gather.

4. with ``--knobs``, the speed knobs users reach for, each timed side by side against the
   plain fp32 network on the same clip, with the largest output difference: ``channels_last``
   weights, ``bf16`` autocast, ``compile`` (``torch.compile``), also for BasicVSR.

Prints the tables; with ``--out``, writes the numbers there as JSON and the tables beside it
as markdown. Example (the README's numbers)::

    OMP_NUM_THREADS=1 python projects/ttvsr/tools/speed.py --build-ext \
        --out work_dirs/ttvsr_speed.json
"""
from __future__ import annotations

import argparse
import math
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import torch  # noqa: E402
from mmagic.models.editors.basicvsr.basicvsr_net import BasicVSRNet  # noqa: E402

import projects.ttvsr.ops.build as ops_build  # noqa: E402
from projects.common import benchmark as harness  # noqa: E402
from projects.ttvsr.models import TTVSRNet, token_grid  # noqa: E402
from projects.ttvsr.ops import build_ext, trajectory_gather  # noqa: E402

PAPER_PARAMS = 6.8e6  # TTVSR paper
# Counted from the layer shapes of the official ttvsrnet.py (SPyNet 1,440,300 + extractor
# 371,072 + trunk 4,505,152 + upsampler 346,435 + LTAM fusion 110,656).
OFFICIAL_PARAMS = 6_773_615
BASICVSR_OFFICIAL_PARAMS = 6_291_311  # the same count for BasicVSR: its published 6.3M


KNOBS = ('channels_last', 'bf16', 'compile')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--frames', type=int, default=10, help='clip length t')
    parser.add_argument('--size', type=int, default=64, help='LR frame height and width')
    parser.add_argument('--repeats', type=int, default=3, help='timed runs of each model')
    parser.add_argument('--mid-channels', type=int, default=64)
    parser.add_argument('--num-blocks', type=int, default=60, help='TTVSR trunk blocks')
    parser.add_argument('--basicvsr-blocks', type=int, default=30,
                        help='blocks of each of BasicVSR\'s two trunks')
    parser.add_argument('--gather-repeats', type=int, default=20)
    parser.add_argument('--gather-size', type=int, nargs=2, metavar=('H', 'W'), default=None,
                        help='LR size of the gather case (default: --size --size); 180 320 '
                             'is a REDS frame')
    parser.add_argument('--gather-keyframes', type=int, default=None,
                        help='keyframes T of the gather case (default: ceil(frames / 3)); 34 '
                             'ends a 100-frame REDS4 pass')
    parser.add_argument('--skip-models', action='store_true',
                        help='time the gather only (parameters are still counted)')
    parser.add_argument('--build-ext', action='store_true',
                        help='build (or load the cached) C++ gather extension and time it')
    parser.add_argument('--knobs', nargs='*', default=[], choices=KNOBS,
                        help='time these variants against plain fp32')
    parser.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    parser.add_argument('--out', default=None, help='JSON file for the numbers')
    return parser.parse_args(argv)


def gather_case(args: argparse.Namespace, device: str):
    """Tokens and locations of one LTAM call at the end of a paper-size pass."""
    gen = torch.Generator().manual_seed(0)
    grid_h, grid_w = [s // 4 for s in (args.gather_size or (args.size, args.size))]
    keyframes = args.gather_keyframes or math.ceil(args.frames / 3)
    channels = args.mid_channels * 16
    tokens = torch.randn(1, keyframes, grid_h, grid_w, channels, generator=gen).to(device)
    drift = torch.randint(-2, 3, (1, keyframes, 2, grid_h, grid_w), generator=gen).float()
    locations = (token_grid(1, grid_h, grid_w, drift) + drift).to(device)
    return tokens, locations


def time_gather(tokens: torch.Tensor, locations: torch.Tensor, backend: str, repeats: int,
                device: str) -> dict[str, float]:
    """Median milliseconds of the gather forward, and forward + backward."""
    leaf = tokens.clone().requires_grad_(True)

    def forward():
        with torch.no_grad():
            trajectory_gather(leaf, locations, backend=backend)

    def forward_backward():
        trajectory_gather(leaf, locations, backend=backend).sum().backward()

    seconds = harness.time_side_by_side(
        dict(forward_ms=forward, forward_backward_ms=forward_backward), repeats, device=device)
    return {name: 1e3 * s for name, s in seconds.items()}


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    device = args.device
    torch.manual_seed(0)
    # Both networks in the plain layout; --knobs times channels_last (TTVSRNet's default).
    ttvsr = TTVSRNet(args.mid_channels, args.num_blocks, channels_last=False).to(device).eval()
    basicvsr = BasicVSRNet(args.mid_channels, args.basicvsr_blocks).to(device).eval()
    result = dict(
        device=device, threads=torch.get_num_threads(),
        input=[1, args.frames, 3, args.size, args.size],
        params=dict(ttvsr=harness.count_params(ttvsr), ttvsr_paper=PAPER_PARAMS,
                    ttvsr_spec=OFFICIAL_PARAMS, basicvsr=harness.count_params(basicvsr),
                    basicvsr_spec=BASICVSR_OFFICIAL_PARAMS))
    clip = torch.rand(1, args.frames, 3, args.size, args.size, device=device)
    backends = ['pytorch']
    if args.build_ext:
        if device != 'cpu':
            raise SystemExit('--build-ext: the C++ extension has CPU kernels only (no CUDA '
                             'kernel yet); time it with --device cpu')
        build_ext()
        backends.append('cpp')

    if not args.skip_models:
        previous = ops_build._EXTENSION
        ops_build._EXTENSION = None  # the model comparison runs the PyTorch gather
        try:
            with torch.no_grad():
                seconds = harness.time_side_by_side(
                    dict(ttvsr=lambda: ttvsr(clip), basicvsr=lambda: basicvsr(clip)),
                    args.repeats, device=device)
        finally:
            ops_build._EXTENSION = previous
        per_frame = {name: s / args.frames for name, s in seconds.items()}
        result['seconds_per_frame'] = per_frame
        result['ttvsr_over_basicvsr'] = per_frame['ttvsr'] / per_frame['basicvsr']

    if args.knobs:
        previous = ops_build._EXTENSION
        ops_build._EXTENSION = None
        try:
            result['knobs'] = harness.time_knobs(dict(ttvsr=ttvsr, basicvsr=basicvsr), clip,
                                                 args.knobs, args.repeats, device,
                                                 units=args.frames)
        finally:
            ops_build._EXTENSION = previous

    tokens, locations = gather_case(args, device)
    result['gather_case'] = dict(tokens=list(tokens.shape), locations=list(locations.shape))
    result['gather'] = {b: time_gather(tokens, locations, b, args.gather_repeats, device)
                        for b in backends}
    if 'cpp' in backends:
        result['gather']['pytorch_over_cpp'] = {
            key: result['gather']['pytorch'][key] / result['gather']['cpp'][key]
            for key in result['gather']['cpp']}
    harness.write_report(result, args.out, report(result))
    return result


def report(result: dict) -> str:
    """Parameters, time per frame and gather times in markdown."""
    params = result['params']
    sections = [
        f"device {result['device']}, {result['threads']} thread(s), input "
        f"{'x'.join(map(str, result['input']))}\n" + harness.markdown_table(
            ['model', 'parameters', 'reference'],
            [['TTVSRNet', f"{params['ttvsr']:,}", f"paper {params['ttvsr_paper'] / 1e6:.1f}M, "
              f"official layers {params['ttvsr_spec']:,}"],
             ['BasicVSRNet', f"{params['basicvsr']:,}",
              f"official layers {params['basicvsr_spec']:,}"]])]
    if 'seconds_per_frame' in result:
        sections.append(harness.markdown_table(
            ['model', 'ms per frame'],
            [[name, f'{1e3 * s:.1f}'] for name, s in result['seconds_per_frame'].items()])
            + f"\nTTVSR / BasicVSR time per frame: {result['ttvsr_over_basicvsr']:.2f}")
    for model, rows in result.get('knobs', {}).items():
        sections.append(f'{model}, speed knobs\n' + harness.markdown_table(
            ['variant', 'ms per frame', 'speed-up', 'max abs output diff vs fp32'],
            [[k, f"{r['ms']:.1f}", f"{r['speedup']:.2f}x", f"{r['max_abs_diff']:.1e}"]
             for k, r in rows.items()]))
    gather = result['gather']
    text = (f"gather: tokens {result['gather_case']['tokens']}, locations "
            f"{result['gather_case']['locations']}\n" + harness.markdown_table(
                ['backend', 'forward ms', 'forward+backward ms'],
                [[b, f"{gather[b]['forward_ms']:.2f}", f"{gather[b]['forward_backward_ms']:.2f}"]
                 for b in ('pytorch', 'cpp') if b in gather]))
    if 'pytorch_over_cpp' in gather:
        ratio = gather['pytorch_over_cpp']
        text += (f"\nPyTorch / C++: forward {ratio['forward_ms']:.2f}, forward+backward "
                 f"{ratio['forward_backward_ms']:.2f}")
    sections.append(text)
    return '\n\n'.join(sections)


if __name__ == '__main__':
    main()
