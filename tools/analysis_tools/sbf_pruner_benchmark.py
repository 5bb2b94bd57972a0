"""Benchmark of SbF-Pruner on held-out data: unpruned vs SbF (gated and extracted) vs L1.

Given a trained dense baseline and a trained SbF-Pruner model (same data, same schedule), it
reports on the test split:

- the unpruned baseline;
- the SbF-pruned model, gated (S ⊙ M, paper eq. 3) and extracted (a genuinely smaller
  ``SlimResNet``; its accuracy must equal the gated one's);
- magnitude filter pruning (L1 norm, Li et al. 2017) of the baseline to the same parameter
  count as the extracted SbF network, before and after fine-tuning for ``--finetune-epochs``;

with parameters and FLOPs from ``mmengine.analysis.get_model_complexity_info``, and the
inference time of the extracted network relative to the unpruned one, timed side by side in
this run (interleaved repetitions, one thread)::

    python tools/analysis_tools/sbf_pruner_benchmark.py \\
        --baseline BASELINE_CONFIG BASELINE_CKPT --sbf SBF_CONFIG SBF_CKPT \\
        --work-dir work_dirs/sbf_pruner_benchmark
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import os.path as osp
import statistics
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402
from mmengine.analysis import get_model_complexity_info  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.runner import Runner  # noqa: E402
from mmpretrain.registry import MODELS  # noqa: E402

import projects  # noqa: E402,F401  (compatibility fixes, registries)
from projects.common.config import absolute  # noqa: E402
from projects.sbf_pruner.extraction import (  # noqa: E402
    check_equivalence,
    extract,
    l1_keep_masks,
    load_pruner,
    pruner_model_cfg,
    runner_model_cfg,
    sbf_keep_and_scale,
    slim_config,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='SbF-Pruner benchmark')
    parser.add_argument('--baseline', nargs=2, required=True, metavar=('CONFIG', 'CKPT'),
                        help='the dense model: its config and checkpoint')
    parser.add_argument('--sbf', nargs=2, required=True, metavar=('CONFIG', 'CKPT'),
                        help='the SbF-Pruner model: its config and checkpoint')
    parser.add_argument('--work-dir', default='work_dirs/sbf_pruner_benchmark')
    parser.add_argument('--finetune-epochs', type=int, default=None,
                        help='fine-tuning epochs of the L1 baseline (default: the SbF '
                        "config's max_epochs)")
    parser.add_argument('--finetune-lr', type=float, default=0.01,
                        help='learning rate of the L1 fine-tuning (cosine to 0)')
    parser.add_argument('--input-size', type=int, default=32)
    parser.add_argument('--timing-batch', type=int, default=64)
    parser.add_argument('--timing-reps', type=int, default=30)
    return parser.parse_args(argv)


def build_classifier(cfg: Config, checkpoint: str | None = None) -> torch.nn.Module:
    """The dense classifier of a plain config (runner-style data preprocessor)."""
    model = MODELS.build(runner_model_cfg(cfg))
    if checkpoint is not None:
        state = torch.load(checkpoint, map_location='cpu')
        model.load_state_dict(state.get('state_dict', state), strict=True)
    return model.eval()


@torch.no_grad()
def accuracy(model: torch.nn.Module, loader) -> float:
    """Top-1 accuracy (%) of ``model`` over ``loader``."""
    model.eval()
    correct = total = 0
    for batch in loader:
        data = model.data_preprocessor(batch, False)
        for sample in model(**data, mode='predict'):
            correct += int(sample.pred_label.item() == sample.gt_label.item())
            total += 1
    return 100.0 * correct / total


def complexity(model: torch.nn.Module, size: int) -> dict:
    """Parameters and FLOPs (multiply-adds) of one image, counted by mmengine."""
    info = get_model_complexity_info(model, input_shape=(3, size, size), show_table=False,
                                     show_arch=False)
    return dict(params=int(info['params']), flops=int(info['flops']))


def l1_slim(pruner, model_cfg: dict, target_params: int) -> tuple[dict, torch.nn.Module, float]:
    """L1-norm pruning with one ratio for every layer, bisected to ``target_params``."""
    low, high = 0.0, 0.99
    for _ in range(30):
        ratio = (low + high) / 2
        _, slim = extract(pruner.model, model_cfg, l1_keep_masks(pruner, ratio))
        if sum(p.numel() for p in slim.parameters()) > target_params:
            low = ratio
        else:
            high = ratio
    cfg, slim = extract(pruner.model, model_cfg, l1_keep_masks(pruner, high))
    return cfg, slim, high


def finetune(cfg: Config, model_cfg: dict, slim: torch.nn.Module, work_dir: str,
             epochs: int, lr: float) -> torch.nn.Module:
    """Fine-tunes the slim L1 network with the config's data and optimiser, cosine lr."""
    os.makedirs(work_dir, exist_ok=True)
    checkpoint = osp.join(work_dir, 'pruned.pth')
    torch.save(dict(state_dict=slim.state_dict()), checkpoint)
    ft = slim_config(cfg, model_cfg)
    ft.work_dir, ft.load_from, ft.resume = work_dir, checkpoint, False
    ft.optim_wrapper.optimizer.lr = lr
    ft.param_scheduler = [dict(type='CosineAnnealingLR', T_max=epochs, by_epoch=True,
                               begin=0, end=epochs)]
    ft.train_cfg = dict(by_epoch=True, max_epochs=epochs, val_interval=epochs)
    ft.default_hooks.checkpoint = dict(type='CheckpointHook', interval=epochs,
                                       max_keep_ckpts=1)
    runner = Runner.from_cfg(ft)
    runner.train()
    return runner.model.eval()


@torch.no_grad()
def time_ratio(fast: torch.nn.Module, slow: torch.nn.Module, batch: int, size: int,
               reps: int) -> dict:
    """Median inference times of two models, measured interleaved on the same inputs."""
    x = torch.randn(batch, 3, size, size)
    times = {'extracted': [], 'unpruned': []}
    models = {'extracted': fast.eval(), 'unpruned': slow.eval()}
    for model in models.values():
        model(x, mode='tensor')  # warm-up
    for _ in range(reps):
        for name, model in models.items():
            start = time.perf_counter()
            model(x, mode='tensor')
            times[name].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in times.items()}
    return dict(extracted_s=med['extracted'], unpruned_s=med['unpruned'],
                ratio=med['extracted'] / med['unpruned'], batch=batch, reps=reps,
                threads=torch.get_num_threads())


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    work_dir = absolute(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    base_cfg = Config.fromfile(absolute(args.baseline[0]))
    sbf_config, sbf_ckpt = absolute(args.sbf[0]), absolute(args.sbf[1])
    init_default_scope('mmpretrain')
    loader = Runner.build_dataloader(base_cfg.test_dataloader)
    size = args.input_size
    results = {}

    baseline = build_classifier(base_cfg, absolute(args.baseline[1]))
    results['unpruned'] = dict(top1=accuracy(baseline, loader), **complexity(baseline, size))

    cfg, pruner = load_pruner(sbf_config, sbf_ckpt)
    model_cfg = pruner_model_cfg(cfg)
    keep, scale = sbf_keep_and_scale(pruner)
    _, sbf_slim = extract(pruner.model, model_cfg, keep, scale)
    check_equivalence(pruner, sbf_slim, size)
    results['sbf_gated'] = dict(top1=accuracy(pruner, loader), **complexity(pruner.model, size),
                                an_params=sum(p.numel() for p in
                                              pruner.attention_networks.parameters()))
    results['sbf_extracted'] = dict(top1=accuracy(sbf_slim, loader),
                                    **complexity(sbf_slim, size))

    l1 = copy.deepcopy(pruner)
    l1.model.load_state_dict(baseline.state_dict(), strict=True)
    l1_cfg, l1_model, ratio = l1_slim(l1, model_cfg, results['sbf_extracted']['params'])
    results['l1_pruned'] = dict(top1=accuracy(l1_model, loader), ratio=ratio,
                                **complexity(l1_model, size))
    epochs = args.finetune_epochs or cfg.train_cfg.max_epochs
    tuned = finetune(cfg, l1_cfg, l1_model, osp.join(work_dir, 'l1_finetune'), epochs,
                     args.finetune_lr)
    results['l1_finetuned'] = dict(top1=accuracy(tuned, loader), epochs=epochs,
                                   lr=args.finetune_lr, **complexity(tuned, size))

    torch.set_num_threads(1)
    results['timing'] = time_ratio(sbf_slim, baseline, args.timing_batch, size,
                                   args.timing_reps)
    results['test_images'] = len(loader.dataset)
    with open(osp.join(work_dir, 'benchmark.json'), 'w') as f:
        json.dump(results, f, indent=2)
    print_table(results)
    return results


def print_table(results: dict) -> None:
    dense = results['unpruned']
    print(f'\n{results["test_images"]} test images\n'
          '| model | top-1 (%) | params | params removed | MFLOPs | FLOPs removed |\n'
          '|---|---|---|---|---|---|')
    for name in ('unpruned', 'sbf_gated', 'sbf_extracted', 'l1_pruned', 'l1_finetuned'):
        r = results[name]
        print(f'| {name} | {r["top1"]:.2f} | {r["params"]:,} | '
              f'{100 * (1 - r["params"] / dense["params"]):.1f} % | {r["flops"] / 1e6:.2f} | '
              f'{100 * (1 - r["flops"] / dense["flops"]):.1f} % |')
    t = results['timing']
    print(f'\ninference time extracted / unpruned: {t["ratio"]:.3f} '
          f'({1e3 * t["extracted_s"]:.1f} ms vs {1e3 * t["unpruned_s"]:.1f} ms per batch of '
          f'{t["batch"]}, median of {t["reps"]}, {t["threads"]} thread)')


if __name__ == '__main__':
    main()
