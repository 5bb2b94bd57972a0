"""Benchmark of SbF-Pruner on held-out data: unpruned vs SbF (gated and extracted) vs L1.

Given a trained dense baseline and a trained SbF-Pruner model (same data, same schedule), it
reports on the test split:

- the unpruned baseline;
- the SbF-pruned model, gated (S ⊙ M, paper eq. 3) and extracted (a genuinely smaller
  ``SlimResNet``; its accuracy must equal the gated one's);
- magnitude filter pruning (L1 norm, Li et al. 2017) of the baseline to the same parameter
  count as the extracted SbF network, before and after fine-tuning for ``--finetune-epochs``;
- with ``--random``, random filter pruning of the baseline at the L1 ratio (the same size),
  fine-tuned the same way: the control that any scoring rule must beat;

with top-1 from ``Runner.test()`` with each config's ``Accuracy``, parameters and GFLOPs
from :func:`projects.common.benchmark.complexity`, and the inference time of the extracted
network relative to the unpruned one, timed side by side in this run (interleaved
repetitions, one thread)::

    python projects/sbf_pruner/tools/benchmark.py \\
        --baseline BASELINE_CONFIG BASELINE_CKPT --sbf SBF_CONFIG SBF_CKPT \\
        --work-dir work_dirs/sbf_pruner_benchmark
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
from mmengine.runner import Runner  # noqa: E402

import projects  # noqa: E402,F401  (compatibility fixes, registries)
from projects.common import benchmark as harness  # noqa: E402
from projects.common.config import absolute  # noqa: E402
from projects.sbf_pruner.extraction import (  # noqa: E402
    extract,
    extract_checkpoint,
    l1_keep_masks,
    load_pruner,
    pruner_model_cfg,
    random_keep_masks,
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
    parser.add_argument('--random', action='store_true',
                        help='also prune the baseline at random (same ratio) and fine-tune')
    parser.add_argument('--random-seed', type=int, default=0)
    parser.add_argument('--input-size', type=int, default=32)
    parser.add_argument('--timing-batch', type=int, default=64)
    parser.add_argument('--timing-reps', type=int, default=30)
    return parser.parse_args(argv)


def l1_slim(pruner, model_cfg: dict, target_params: int) -> tuple[dict, torch.nn.Module, float]:
    """L1-norm pruning with one ratio for every layer, bisected to ``target_params``."""
    low, high = 0.0, 0.99
    for _ in range(30):
        ratio = (low + high) / 2
        _, slim = extract(pruner.model, model_cfg, l1_keep_masks(pruner, ratio))
        if harness.count_params(slim) > target_params:
            low = ratio
        else:
            high = ratio
    cfg, slim = extract(pruner.model, model_cfg, l1_keep_masks(pruner, high))
    return cfg, slim, high


def save_slim(cfg: Config, model_cfg: dict, slim: torch.nn.Module,
              work_dir: str) -> tuple[str, str]:
    """Writes the slim network as an ordinary config (``pruned.py``) and checkpoint
    (``pruned.pth``) in ``work_dir``; returns their paths."""
    os.makedirs(work_dir, exist_ok=True)
    config, checkpoint = osp.join(work_dir, 'pruned.py'), osp.join(work_dir, 'pruned.pth')
    slim_config(cfg, model_cfg).dump(config)
    torch.save(dict(state_dict=slim.state_dict()), checkpoint)
    return config, checkpoint


def finetune(config: str, checkpoint: str, work_dir: str, epochs: int, lr: float) -> str:
    """Fine-tunes a slim network with its config's data and optimiser, cosine lr; returns
    the last checkpoint."""
    ft = Config.fromfile(config)
    ft.work_dir, ft.load_from, ft.resume = work_dir, checkpoint, False
    ft.optim_wrapper.optimizer.lr = lr
    ft.param_scheduler = [dict(type='CosineAnnealingLR', T_max=epochs, by_epoch=True,
                               begin=0, end=epochs)]
    ft.train_cfg = dict(by_epoch=True, max_epochs=epochs, val_interval=epochs)
    ft.default_hooks.checkpoint = dict(type='CheckpointHook', interval=epochs,
                                       max_keep_ckpts=1)
    Runner.from_cfg(ft).train()
    return osp.join(work_dir, f'epoch_{epochs}.pth')


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    work_dir = absolute(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    base_config, base_ckpt = map(absolute, args.baseline)
    sbf_config, sbf_ckpt = map(absolute, args.sbf)
    shape = (3, args.input_size, args.input_size)
    results = {}

    def top1(config: str, checkpoint: str, name: str) -> float:
        metrics = harness.evaluate(config, checkpoint, osp.join(work_dir, 'test', name))
        return metrics['accuracy/top1']

    baseline = harness.load_model(base_config, base_ckpt)
    results['unpruned'] = dict(top1=top1(base_config, base_ckpt, 'unpruned'),
                               **harness.complexity(baseline, input_shape=shape))

    cfg, pruner = load_pruner(sbf_config, sbf_ckpt)
    results['sbf_gated'] = dict(top1=top1(sbf_config, sbf_ckpt, 'sbf_gated'),
                                **harness.complexity(pruner.model, input_shape=shape),
                                an_params=harness.count_params(pruner.attention_networks))
    # The extraction checks that the slim network computes what the gated one does.
    slim_config_file, slim_ckpt, _ = extract_checkpoint(sbf_config, sbf_ckpt,
                                                        osp.join(work_dir, 'sbf_extracted'))
    sbf_slim = harness.load_model(slim_config_file, slim_ckpt)
    results['sbf_extracted'] = dict(top1=top1(slim_config_file, slim_ckpt, 'sbf_extracted'),
                                    **harness.complexity(sbf_slim, input_shape=shape))

    l1 = copy.deepcopy(pruner)
    l1.model.load_state_dict(baseline.state_dict(), strict=True)
    l1_cfg, l1_model, ratio = l1_slim(l1, pruner_model_cfg(cfg),
                                      results['sbf_extracted']['params'])
    l1_dir = osp.join(work_dir, 'l1_finetune')
    l1_config, l1_ckpt = save_slim(cfg, l1_cfg, l1_model, l1_dir)
    results['l1_pruned'] = dict(top1=top1(l1_config, l1_ckpt, 'l1_pruned'), ratio=ratio,
                                **harness.complexity(l1_model, input_shape=shape))
    epochs = args.finetune_epochs or cfg.train_cfg.max_epochs
    tuned_ckpt = finetune(l1_config, l1_ckpt, l1_dir, epochs, args.finetune_lr)
    tuned = harness.load_model(l1_config, tuned_ckpt)
    results['l1_finetuned'] = dict(top1=top1(l1_config, tuned_ckpt, 'l1_finetuned'),
                                   epochs=epochs, lr=args.finetune_lr,
                                   **harness.complexity(tuned, input_shape=shape))

    if args.random:
        rnd_cfg, rnd_model = extract(l1.model, pruner_model_cfg(cfg),
                                     random_keep_masks(l1, ratio, args.random_seed))
        rnd_dir = osp.join(work_dir, 'random_finetune')
        rnd_config, rnd_ckpt = save_slim(cfg, rnd_cfg, rnd_model, rnd_dir)
        results['random_pruned'] = dict(top1=top1(rnd_config, rnd_ckpt, 'random_pruned'),
                                        ratio=ratio,
                                        **harness.complexity(rnd_model, input_shape=shape))
        rnd_tuned = finetune(rnd_config, rnd_ckpt, rnd_dir, epochs, args.finetune_lr)
        results['random_finetuned'] = dict(
            top1=top1(rnd_config, rnd_tuned, 'random_finetuned'), epochs=epochs,
            lr=args.finetune_lr,
            **harness.complexity(harness.load_model(rnd_config, rnd_tuned), input_shape=shape))

    torch.set_num_threads(1)
    x = torch.randn(args.timing_batch, *shape)
    with torch.no_grad():
        median = harness.time_side_by_side({'extracted': lambda: sbf_slim(x, mode='tensor'),
                                            'unpruned': lambda: baseline(x, mode='tensor')},
                                           args.timing_reps)
    results['timing'] = dict(extracted_s=median['extracted'], unpruned_s=median['unpruned'],
                             ratio=median['extracted'] / median['unpruned'],
                             batch=args.timing_batch, reps=args.timing_reps,
                             threads=torch.get_num_threads())
    base_test = Config.fromfile(base_config).test_dataloader
    results['test_images'] = len(Runner.build_dataloader(base_test).dataset)
    harness.write_report(results, osp.join(work_dir, 'benchmark.json'), report(results))
    return results


def report(results: dict) -> str:
    """The comparison table and the timing line in markdown."""
    dense = results['unpruned']
    rows = []
    for name in ('unpruned', 'sbf_gated', 'sbf_extracted', 'l1_pruned', 'l1_finetuned',
                 'random_pruned', 'random_finetuned'):
        if name not in results:
            continue
        r = results[name]
        rows.append([name, f'{r["top1"]:.2f}', f'{r["params"]:,}',
                     f'{100 * (1 - r["params"] / dense["params"]):.1f} %',
                     f'{1e3 * r["gflops"]:.2f}',
                     f'{100 * (1 - r["gflops"] / dense["gflops"]):.1f} %'])
    t = results['timing']
    return (f'{results["test_images"]} test images\n'
            + harness.markdown_table(['model', 'top-1 (%)', 'params', 'params removed',
                                      'MFLOPs', 'FLOPs removed'], rows)
            + f'\n\ninference time extracted / unpruned: {t["ratio"]:.3f} '
            f'({1e3 * t["extracted_s"]:.1f} ms vs {1e3 * t["unpruned_s"]:.1f} ms per batch of '
            f'{t["batch"]}, median of {t["reps"]}, {t["threads"]} thread)')


if __name__ == '__main__':
    main()
