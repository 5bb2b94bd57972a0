"""GPU smoke test: one training step of every project's paper-size model, fp32 and AMP.

For each model below (built from its paper config, random weights, a random batch of the
paper's per-GPU batch size and input size) it runs ``model.train_step`` with the config's
optimizer, first in fp32 (``OptimWrapper``), then with ``AmpOptimWrapper`` (what ``--amp``
selects), and records the median time per iteration and the peak GPU memory. It also checks
that mmcv's CUDA ops run and that TTVSR's trajectory gather gives the same result on the GPU
as on the CPU. ``tools/gpu_smoke.sh`` runs it, then trains the demo config through
``tools/train.py --amp`` and ``tools/dist_train.sh`` (NCCL).

``--device cpu --small`` runs the same code on the CPU with batch 1 and short clips, without
the AMP rows (mmengine's AMP wrapper needs a GPU): that is how the script is checked on
machines without a GPU.
"""
from __future__ import annotations

import argparse
import json
import os
import os.path as osp
import statistics
import sys
import time
import traceback
from dataclasses import dataclass, field

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.optim import build_optim_wrapper  # noqa: E402
from mmengine.registry import MODELS, init_default_scope  # noqa: E402
from mmengine.structures import BaseDataElement  # noqa: E402

import projects  # noqa: E402,F401  (compatibility fixes, registries)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


@dataclass
class Case:
    """A paper config and the shape of one sample of its training batch."""

    name: str
    config: str
    host: str
    batch: int
    shape: tuple  # of one sample's input, as the data pipeline packs it
    small: dict = field(default_factory=dict)  # overrides with --small


CASES = [
    Case('demo TSN-R18', 'configs/demo/tsn_r18_1xb16-1x1x3-15e_moving-digits.py', 'mmaction',
         16, (3, 3, 64, 64)),
    Case('AdaFocusV2 MobileNetV2+ResNet-50 p128, 16 frames',
         'projects/adafocus_v2/configs/adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py',
         'mmaction', 8, (16, 3, 224, 224), dict(batch=1)),
    Case('JCA R(2+1)D-18 + ResNet-18, 8 segments of 8 frames',
         'projects/jca_fusion/configs/jca_r2plus1d-18-r18_1xb96-30e_affwild2-va.py', 'jca', 96,
         (8, 3, 8, 112, 112), dict(batch=1)),
    Case('SbF-Pruner ResNet-50 (ImageNet)',
         'projects/sbf_pruner/configs/sbf-pruner_resnet50_8xb32-100e_in1k.py', 'mmpretrain', 32,
         (3, 224, 224), dict(batch=1)),
    Case('TTVSR c64n60, 50 frames (REDS)',
         'projects/ttvsr/configs/ttvsr_c64n60_8xb2-400k_reds4.py', 'mmagic', 2,
         (50, 3, 64, 64), dict(batch=1, shape=(2, 3, 64, 64))),
]


def without_pretrained(node):
    """The model config with every checkpoint to load removed (none can be downloaded)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == 'init_cfg' and isinstance(value, dict) and value.get('type') == 'Pretrained':
                continue
            if (key == 'pretrained' or key.endswith('_pretrained')) and isinstance(value, str):
                value = None
            out[key] = without_pretrained(value)
        return out
    if isinstance(node, (list, tuple)):
        return type(node)(without_pretrained(v) for v in node)
    return node


def make_batch(case: Case, batch: int, shape: tuple) -> dict:
    """A random training batch in the format the host's data pipeline packs."""
    gen = torch.Generator().manual_seed(0)
    frames = [torch.randint(0, 256, shape, dtype=torch.uint8, generator=gen)
              for _ in range(batch)]
    if case.host == 'mmaction':
        from mmaction.structures import ActionDataSample
        samples = [ActionDataSample().set_gt_label(torch.tensor(i % 10)) for i in range(batch)]
        return dict(inputs=frames, data_samples=samples)
    if case.host == 'mmpretrain':
        from mmpretrain.structures import DataSample
        return dict(inputs=frames, data_samples=[DataSample().set_gt_label(i % 10)
                                                 for i in range(batch)])
    if case.host == 'mmagic':
        from mmagic.structures import DataSample
        t, c, h, w = shape
        samples = [DataSample(gt_img=torch.randint(0, 256, (t, c, 4 * h, 4 * w),
                                                   dtype=torch.uint8, generator=gen))
                   for _ in range(batch)]
        return dict(inputs=frames, data_samples=samples)
    # jca_fusion: L segments of faces and log-mel spectrograms, valence/arousal per segment.
    segments = shape[0]
    audio = [torch.randn(segments, 1, 64, 107, generator=gen) * 20 - 15 for _ in range(batch)]
    samples = []
    for _ in range(batch):
        sample = BaseDataElement()
        sample.gt_valence = torch.rand(segments, generator=gen) * 2 - 1
        sample.gt_arousal = torch.rand(segments, generator=gen)
        sample.valid = torch.ones(segments, dtype=torch.bool)
        samples.append(sample)
    return dict(inputs=dict(video=frames, audio=audio), data_samples=samples)


def sync(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def train_steps(model, cfg: Config, batch: dict, amp: bool, steps: int, device: str) -> dict:
    """Median seconds per ``train_step`` after one warm-up, peak memory, last loss."""
    optim_cfg = cfg.optim_wrapper.copy()
    optim_cfg.type = 'AmpOptimWrapper' if amp else 'OptimWrapper'
    if amp:
        optim_cfg.setdefault('loss_scale', 'dynamic')
    optim_wrapper = build_optim_wrapper(model, optim_cfg)
    model.train()
    if device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    times, loss = [], float('nan')
    for _ in range(steps + 1):
        sync(device)
        start = time.perf_counter()
        log_vars = model.train_step(batch, optim_wrapper)
        sync(device)
        times.append(time.perf_counter() - start)
        loss = float(log_vars['loss'])
    peak = torch.cuda.max_memory_allocated() / 2**30 if device.startswith('cuda') else None
    return dict(ms=1e3 * statistics.median(times[1:]), peak_gib=peak, loss=loss,
                finite=bool(torch.isfinite(torch.tensor(loss))))


def run_case(case: Case, args: argparse.Namespace) -> dict:
    cfg = Config.fromfile(osp.join(ROOT, case.config))
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    batch_size = case.small.get('batch', case.batch) if args.small else case.batch
    shape = case.small.get('shape', case.shape) if args.small else case.shape
    torch.manual_seed(0)
    model = MODELS.build(without_pretrained(cfg.model.to_dict())).to(args.device)
    params = sum(p.numel() for p in model.parameters())
    batch = make_batch(case, batch_size, shape)
    row = dict(name=case.name, config=case.config, params=params,
               input=f"{batch_size} x {'x'.join(map(str, shape))}")
    for amp in (False, True):
        key = 'amp' if amp else 'fp32'
        if amp and not args.device.startswith('cuda'):
            row[key] = dict(skipped='AMP needs CUDA')
            continue
        try:
            row[key] = train_steps(model, cfg, batch, amp, args.steps, args.device)
        except Exception as e:  # one failing case must not hide the others
            traceback.print_exc()
            row[key] = dict(error=f'{type(e).__name__}: {str(e)[:200]}')
        if args.device.startswith('cuda'):
            torch.cuda.empty_cache()
    return row


def check_mmcv_ops(device: str) -> str:
    """Runs one mmcv op (NMS, RoIAlign) on ``device``; says which ops the build has."""
    try:
        from mmcv.ops import RoIAlign, get_compiling_cuda_version, nms
        boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 11., 11.], [50., 50., 60., 60.]])
        scores = torch.tensor([0.9, 0.8, 0.7])
        _, keep = nms(boxes.to(device), scores.to(device), 0.5)
        feats = torch.rand(1, 4, 16, 16, device=device)
        rois = torch.tensor([[0., 1., 1., 9., 9.]], device=device)
        out = RoIAlign((2, 2), 1.0, 0)(feats, rois)
        return (f'ran on {device} (nms kept {keep.tolist()}, RoIAlign {tuple(out.shape)}); '
                f'mmcv compiled with CUDA {get_compiling_cuda_version()}')
    except Exception as e:
        return f'failed on {device}: {type(e).__name__}: {str(e)[:200]}'


def check_ttvsr_gather(device: str) -> str:
    """TTVSR's trajectory gather and its gradient on ``device`` against the CPU."""
    from projects.ttvsr.models import token_grid
    from projects.ttvsr.ops import trajectory_gather
    gen = torch.Generator().manual_seed(0)
    tokens = torch.randn(2, 5, 16, 16, 64, generator=gen)
    drift = torch.randint(-2, 3, (2, 5, 2, 16, 16), generator=gen).float()
    locations = token_grid(2, 16, 16, drift) + drift
    results = []
    for where in ('cpu', device):
        leaf = tokens.to(where).requires_grad_(True)
        out = trajectory_gather(leaf, locations.to(where))
        out.square().sum().backward()
        results.append((out.detach().cpu(), leaf.grad.cpu()))
    same = all(torch.equal(a, b) for a, b in zip(*results, strict=True))
    return f"{'equal' if same else 'DIFFERENT'} on {device} and cpu (forward and gradient)"


def report(result: dict) -> str:
    lines = [f"# GPU smoke test ({result['device_name']})", '',
             f"torch {result['torch']}, CUDA {result['cuda']}, cuDNN {result['cudnn']}, "
             f"{result['gpus']} GPU(s); {result['steps']} timed steps after one warm-up "
             '(median).', '',
             '| model | params | batch x input | fp32 ms/iter | fp32 peak GiB | AMP ms/iter | '
             'AMP peak GiB |', '|---|---|---|---|---|---|---|']

    def cells(entry: dict) -> str:
        if 'ms' in entry:
            peak = f"{entry['peak_gib']:.2f}" if entry['peak_gib'] is not None else 'n/a'
            flag = '' if entry['finite'] else ' (loss not finite)'
            return f"{entry['ms']:.1f}{flag} | {peak}"
        return f"{entry.get('skipped') or entry.get('error')} | -"

    for row in result['models']:
        lines.append(f"| {row['name']} | {row['params'] / 1e6:.2f}M | {row['input']} | "
                     f"{cells(row['fp32'])} | {cells(row['amp'])} |")
    lines += ['', f"- mmcv ops: {result['mmcv_ops']}",
              f"- TTVSR trajectory gather: {result['ttvsr_gather']}"]
    return '\n'.join(lines) + '\n'


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--small', action='store_true', help='batch 1 and short clips')
    parser.add_argument('--steps', type=int, default=3, help='timed steps per case')
    parser.add_argument('--only', nargs='*', default=None, help='case names containing these')
    parser.add_argument('--out', default='work_dirs/gpu_smoke', help='folder for the report')
    args = parser.parse_args(argv)
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        raise SystemExit('No GPU is visible; use --device cpu --small for a dry run.')
    cuda = args.device.startswith('cuda')
    result = dict(
        device_name=torch.cuda.get_device_name() if cuda else 'CPU dry run',
        torch=torch.__version__, cuda=torch.version.cuda,
        cudnn=torch.backends.cudnn.version() if cuda else None,
        gpus=torch.cuda.device_count(), steps=args.steps, models=[])
    for case in CASES:
        if args.only and not any(s in case.name for s in args.only):
            continue
        print(f'==> {case.name}', flush=True)
        result['models'].append(run_case(case, args))
        print(json.dumps(result['models'][-1]), flush=True)
    result['mmcv_ops'] = check_mmcv_ops(args.device)
    result['ttvsr_gather'] = check_ttvsr_gather(args.device)
    os.makedirs(args.out, exist_ok=True)
    with open(osp.join(args.out, 'models.json'), 'w') as f:
        json.dump(result, f, indent=2)
    text = report(result)
    with open(osp.join(args.out, 'models.md'), 'w') as f:
        f.write(text)
    print(text)
    return result


if __name__ == '__main__':
    main()
