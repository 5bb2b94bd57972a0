"""Benchmark of MTAN against the split and single-task baselines on the held-out toy scenes.

Trains every tiny configuration (MTAN and split, each with equal, DWA and uncertainty
weighting; one single-task SegNet per task) with several seeds on the training scenes, tests
each on the held-out scenes (unseen photographs) and reports, per model, every metric as mean
± standard deviation over seeds, the parameter count, and Δ_MTL, the average relative
improvement over the single-task networks (Maninis et al., CVPR 2019, Eq. 4; the MTAN README
recommends it). The paper's two claims are checked side by side: MTAN beats split and
single-task with fewer parameters than the single-task networks together (Liu et al., CVPR
2019, Tables 2-3), and it is less sensitive to the weighting than split (the spread of Δ_MTL
over the three weightings). Finished runs are kept in ``WORK_DIR/runs.json`` and reused, so
an interrupted benchmark resumes.

Example (one thread, as every number in the README)::

    OMP_NUM_THREADS=1 python projects/mtan/tools/benchmark.py --seeds 0 1 2 \\
        --work-dir work_dirs/mtan_benchmark
"""
from __future__ import annotations

import argparse
import json
import os
import os.path as osp
import statistics
import sys
import uuid

import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.common.benchmark import count_params, markdown_table, write_report  # noqa: E402
from projects.common.config import load_config  # noqa: E402

CONFIGS = osp.abspath(osp.join(osp.dirname(__file__), '../configs'))
SUFFIX = '_segnet-w8_1xb8-25e_tiny-toy-scenes.py'
# (architecture, weighting) -> config; the single-task networks are one run per task.
VARIANTS = {
    ('MTAN', 'equal'): 'mtan', ('MTAN', 'DWA'): 'mtan-dwa',
    ('MTAN', 'uncert'): 'mtan-uncert', ('Split', 'equal'): 'split',
    ('Split', 'DWA'): 'split-dwa', ('Split', 'uncert'): 'split-uncert',
}
SINGLE = dict(seg='single-seg', depth='single-depth', normal='single-normal')
# Metric -> whether higher is better.
METRICS = {'mIoU': True, 'pixel_acc': True, 'depth_abs_err': False, 'depth_rel_err': False,
           'normal_mean': False, 'normal_median': False, 'normal_within_11.25': True,
           'normal_within_22.5': True, 'normal_within_30': True}


def train_and_test(config: str, seed: int, work_dir: str, epochs: int | None) -> dict:
    """Trains one config with one seed; returns its held-out metrics and parameter count."""
    from mmengine.runner import Runner
    cfg = load_config(osp.join(CONFIGS, config + SUFFIX))
    cfg.work_dir = work_dir
    cfg.randomness = dict(seed=seed)
    cfg.experiment_name = f'{config}_seed{seed}_{uuid.uuid4().hex[:6]}'
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=-1, save_last=False)
    cfg.visualizer.vis_backends = []
    if epochs is not None:
        cfg.train_cfg.max_epochs = cfg.train_cfg.val_interval = epochs
        cfg.param_scheduler[0].milestones = [epochs * 2 // 3]
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    return dict(params=count_params(runner.model),
                metrics={k.split('/', 1)[-1]: float(v) for k, v in metrics.items()})


def delta_mtl(metrics: dict[str, float], single: dict[str, float]) -> float:
    """Average relative improvement (%) over the single-task networks (Maninis et al.), over
    every metric, each signed so that an improvement counts positive."""
    gains = [(1 if higher else -1) * (metrics[k] - single[k]) / single[k]
             for k, higher in METRICS.items() if k in metrics]
    return 100 * sum(gains) / len(gains)


def fmt(values: list[float], digits: int = 2) -> str:
    mean = statistics.mean(values)
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return f'{mean:.{digits}f} ± {spread:.{digits}f}'


def summarise(runs: dict, seeds: list[int]) -> tuple[dict, str]:
    """Tables (markdown) and numbers from the finished runs ``{'config/seed': result}``."""
    single = {seed: {} for seed in seeds}
    single_params = 0
    for config in SINGLE.values():
        for seed in seeds:
            single[seed].update(runs[f'{config}/{seed}']['metrics'])
        single_params += runs[f'{config}/{seeds[0]}']['params']
    # Δ_MTL is relative to the single-task networks' mean over seeds: against each seed's own
    # single-task run, one unlucky run (a relative gain on a near-zero metric) dominates.
    single_mean = {k: statistics.mean(single[s][k] for s in seeds) for k in METRICS}
    rows, numbers = [], {}
    entries = [(('Single-task x3', '-'), None)] + [
        (key, c) for key, c in VARIANTS.items()
        if all(f'{c}/{s}' in runs for s in seeds)]  # variants not run (yet) are left out
    for (arch, weighting), config in entries:
        per_seed = [single[s] if config is None else runs[f'{config}/{s}']['metrics']
                    for s in seeds]
        params = single_params if config is None else runs[f'{config}/{seeds[0]}']['params']
        deltas = [delta_mtl(m, single_mean) for m in per_seed]
        numbers[f'{arch}/{weighting}'] = dict(
            params=params, delta_mtl=deltas,
            **{k: [m[k] for m in per_seed] for k in METRICS})
        rows.append([arch, weighting, f'{params / 1e6:.3f} M',
                     *(fmt([m[k] for m in per_seed]) for k in METRICS),
                     fmt(deltas)])
    columns = ['model', 'weighting', '#P', 'mIoU %', 'pix acc %', 'depth abs', 'depth rel',
               'normal mean °', 'median °', '<11.25 %', '<22.5 %', '<30 %', 'Δ_MTL %']
    text = [markdown_table(columns, rows)]
    # The paper's two points: MTAN vs split per weighting, and sensitivity to weighting.
    cmp_rows = []
    weightings = [w for w in ('equal', 'DWA', 'uncert')
                  if f'MTAN/{w}' in numbers and f'Split/{w}' in numbers]
    for weighting in weightings:
        a = numbers[f'MTAN/{weighting}']['delta_mtl']
        b = numbers[f'Split/{weighting}']['delta_mtl']
        gap = statistics.mean(a) - statistics.mean(b)
        spread = max(statistics.stdev(a), statistics.stdev(b)) if len(a) > 1 else 0.0
        cmp_rows.append([weighting, fmt(a), fmt(b), f'{gap:+.2f}',
                         'inside the seed spread' if abs(gap) <= spread else 'outside'])
    text.append(markdown_table(['weighting', 'MTAN Δ_MTL %', 'Split Δ_MTL %', 'gap',
                                'gap vs max std'], cmp_rows))
    sens = []
    for arch in ('MTAN', 'Split'):
        means = [statistics.mean(numbers[f'{arch}/{w}']['delta_mtl']) for w in weightings]
        sens.append([arch, *(f'{m:.2f}' for m in means), f'{max(means) - min(means):.2f}'])
        numbers[f'{arch}/weighting_range'] = max(means) - min(means)
    text.append(markdown_table(['model', *weightings, 'range over weightings'], sens))
    return numbers, '\n\n'.join(text)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--epochs', type=int, default=None,
                        help='training epochs (default: the configs\')')
    parser.add_argument('--work-dir', default='work_dirs/mtan_benchmark')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    torch.set_num_threads(1)
    os.makedirs(args.work_dir, exist_ok=True)
    store = osp.join(args.work_dir, 'runs.json')
    runs = json.load(open(store)) if osp.isfile(store) else {}
    # Uncertainty weighting last: when time runs short, every seed of the rest is done.
    configs = list(SINGLE.values()) + sorted(VARIANTS.values(), key=lambda c: 'uncert' in c)
    for config in configs:
        for seed in args.seeds:
            key = f'{config}/{seed}'
            if key in runs:
                continue
            runs[key] = train_and_test(config, seed, osp.join(args.work_dir, config),
                                       args.epochs)
            with open(store, 'w') as f:
                json.dump(runs, f, indent=1)
    numbers, text = summarise(runs, args.seeds)
    write_report(numbers, osp.join(args.work_dir, 'report.json'), text)
    return numbers


if __name__ == '__main__':
    main()
