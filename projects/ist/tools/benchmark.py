"""IST evidence: communication, time to a held-out accuracy and final accuracy of IST (central
and sharded server), local SGD, data-parallel SGD (DDP) and single-process SGD.

The tool launches every run itself: ``tools/train.py`` for one process and
``tools/dist_train.sh`` (gloo over the loopback interface) for 2 and 4 processes, on the tiny
digit-features configs with the same model (``--width``), data, epochs and per-rank batch.
Each rank's loop writes ``comm_rank{r}.json`` (cumulative training time without evaluation,
bytes sent and received, validation accuracy after every epoch); from them, per run:

* bytes per epoch of the busiest rank (``max(sent, received)``; the full-model sync of IST
  before each evaluation is reported apart: it is not part of training);
* training time until the held-out (validation) accuracy first reaches ``--target``;
* final validation accuracy;
* the same time on a simulated link of ``--bandwidths`` Gbit/s: measured time plus the
  busiest rank's bytes divided by the bandwidth (loopback transfers are already in the
  measured time, so this slightly over-counts).

Ratios are taken against IST (central) of the same seed and process count, then averaged over
seeds (mean and standard deviation).

Example (the README's numbers)::

    OMP_NUM_THREADS=1 python projects/ist/tools/benchmark.py --procs 2 4 --seeds 0 1 2 \
        --work-dir work_dirs/ist_benchmark
"""
from __future__ import annotations

import argparse
import json
import os
import os.path as osp
import socket
import statistics
import subprocess
import sys

REPO = osp.abspath(osp.join(osp.dirname(__file__), '../../..'))
sys.path.insert(0, REPO)

from projects.common.benchmark import markdown_table, write_report  # noqa: E402

CONFIGS = osp.join(REPO, 'projects/ist/configs')
METHODS = {
    'ist-central': 'ist-central_fc3-h256_2xb32-r5-30e_tiny-digit-features.py',
    'ist-sharded': 'ist-sharded_fc3-h256_2xb32-r5-30e_tiny-digit-features.py',
    'local-sgd': 'local-sgd_fc3-h256_2xb32-r5-30e_tiny-digit-features.py',
    'ddp': 'data-parallel_fc3-h256_2xb32-30e_tiny-digit-features.py',
}
SINGLE = 'data-parallel_fc3-h256_2xb32-30e_tiny-digit-features.py'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def launch(config: str, procs: int, work_dir: str, options: list[str]) -> None:
    """Runs one training (skipped when its logs exist)."""
    if osp.isfile(osp.join(work_dir, f'comm_rank{procs - 1}.json')) and osp.isfile(
            osp.join(work_dir, 'done')):
        return
    env = dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='', PYTHON=sys.executable,
               PORT=str(free_port()), MASTER_ADDR='127.0.0.1', PYTHONPATH=REPO)
    if procs == 1:
        cmd = [sys.executable, osp.join(REPO, 'tools/train.py'), config]
    else:
        cmd = ['bash', osp.join(REPO, 'tools/dist_train.sh'), config, str(procs)]
    cmd += ['--work-dir', work_dir, '--cfg-options', *options]
    os.makedirs(work_dir, exist_ok=True)
    with open(osp.join(work_dir, 'launch.log'), 'w') as log:
        done = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=900)
    if done.returncode:
        raise RuntimeError(f'{" ".join(cmd)} failed: see {work_dir}/launch.log')
    open(osp.join(work_dir, 'done'), 'w').close()


def summarise(work_dir: str, procs: int, target: float, bandwidths: list[float]) -> dict:
    """Per-run numbers from the ranks' ``comm_rank{r}.json``."""
    logs = [json.load(open(osp.join(work_dir, f'comm_rank{r}.json'))) for r in range(procs)]
    epochs = len(logs[0])

    def busiest(epoch: int) -> int:
        return max(max(log[epoch]['sent_bytes'], log[epoch]['received_bytes'])
                   for log in logs)

    accuracy = [e['metrics']['accuracy'] for e in logs[0]]
    hit = next((i for i, a in enumerate(accuracy) if a >= target), None)
    run = dict(final_accuracy=accuracy[-1], accuracy=accuracy,
               times=[e['train_time'] for e in logs[0]],
               bytes_per_epoch=busiest(epochs - 1) / epochs,
               sync_bytes_per_epoch=max(log[-1]['sync_bytes'] for log in logs) / epochs,
               held_params=[log[-1]['held_params'] for log in logs],
               train_time=logs[0][-1]['train_time'],
               time_to_target=None if hit is None else logs[0][hit]['train_time'],
               epochs_to_target=None if hit is None else hit + 1)
    for gbit in bandwidths:
        run[f'time_to_target_{gbit:g}gbit'] = None if hit is None else (
            logs[0][hit]['train_time'] + busiest(hit) * 8 / (gbit * 1e9))
    return run


def mean_std(values: list[float | None]) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return 'not reached'
    if len(values) == 1:
        return f'{values[0]:.3g} (1 seed)'
    return f'{statistics.mean(values):.3g} ± {statistics.stdev(values):.2g}'


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--procs', type=int, nargs='+', default=[2, 4])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--methods', nargs='+', default=list(METHODS), choices=list(METHODS))
    parser.add_argument('--width', type=int, default=1024, help='hidden width (2 layers)')
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--target', type=float, default=0.95)
    parser.add_argument('--bandwidths', type=float, nargs='+', default=[1, 10])
    parser.add_argument('--work-dir', default='work_dirs/ist_benchmark')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    data = osp.abspath(osp.join(args.work_dir, 'data'))
    results: dict = {}
    for seed in args.seeds:
        options = [f'model.hidden_channels=[{args.width},{args.width}]',
                   f'train_cfg.max_epochs={args.epochs}', f'randomness.seed={seed}',
                   f'default_hooks.checkpoint.interval={args.epochs}']
        for split in ('train', 'val', 'test'):
            options += [f'{split}_dataloader.dataset.builder.root={data}',
                        f'{split}_dataloader.dataset.dataset.ann_file={data}/{split}.npz']
        runs = [('single', 1, SINGLE)] + [(m, n, METHODS[m]) for n in args.procs
                                          for m in args.methods]
        for method, procs, config in runs:
            extra = [f'train_cfg.seed={seed}'] if method.startswith('ist') else []
            work_dir = osp.abspath(osp.join(args.work_dir, f'{method}_{procs}p_seed{seed}'))
            launch(osp.join(CONFIGS, config), procs, work_dir, options + extra)
            results.setdefault(f'{method} x{procs}', []).append(
                summarise(work_dir, procs, args.target, args.bandwidths))
            print(method, procs, seed, results[f'{method} x{procs}'][-1]['final_accuracy'],
                  flush=True)
    figure = plot(results, args, osp.join(args.work_dir, 'benchmark.png'))
    write_report(results, osp.join(args.work_dir, 'benchmark.json'), report(results, args),
                 figures=[figure])


def plot(results: dict, args: argparse.Namespace, path: str) -> str:
    """Validation accuracy against training time (first seed), one panel per process count,
    with each run's bytes per epoch in the legend."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(args.procs), figsize=(5 * len(args.procs), 3.6),
                             squeeze=False)
    for ax, procs in zip(axes[0], args.procs, strict=True):
        for name, runs in results.items():
            if name.endswith(f'x{procs}') or name == 'single x1':
                run = runs[0]
                ax.plot(run['times'], run['accuracy'], marker='o', markersize=3,
                        label=f"{name} ({run['bytes_per_epoch'] / 1e6:.1f} MB/epoch)")
        ax.axhline(args.target, color='grey', linestyle=':')
        ax.set(title=f'{procs} processes (gloo, loopback)', xlabel='training time (s)',
               ylabel='validation accuracy', ylim=(0.8, 1.0))
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def report(results: dict, args: argparse.Namespace) -> str:
    columns = ['run', 'final acc.', f'time to {args.target:g} (s)',
               *(f'... on {g:g} Gbit/s (s)' for g in args.bandwidths), 'MB / epoch (busiest)',
               'params held / rank']
    rows = []
    for name, runs in results.items():
        rows.append([name, mean_std([r['final_accuracy'] for r in runs]),
                     mean_std([r['time_to_target'] for r in runs]),
                     *(mean_std([r[f'time_to_target_{g:g}gbit'] for r in runs])
                       for g in args.bandwidths),
                     mean_std([r['bytes_per_epoch'] / 1e6 for r in runs]),
                     '/'.join(str(p) for p in runs[0]['held_params'])])
    ratios = []
    for procs in args.procs:
        base = results.get(f'ist-central x{procs}')
        if not base:
            continue
        for name, runs in results.items():
            if not name.endswith(f'x{procs}') or name == f'ist-central x{procs}':
                continue
            cells = [name]
            for key in ('bytes_per_epoch', 'time_to_target',
                        *(f'time_to_target_{g:g}gbit' for g in args.bandwidths)):
                cells.append(mean_std([
                    r[key] / b[key] if r[key] is not None and b[key] else None
                    for r, b in zip(runs, base, strict=False)]))
            ratios.append(cells)
    text = [f'Seeds {args.seeds}; hidden width {args.width} (2 hidden layers); '
            f'{args.epochs} epochs; target {args.target:g} validation accuracy.', '',
            markdown_table(columns, rows), '', 'Ratios to IST (central), same seed:', '',
            markdown_table(['run', 'bytes / epoch', 'time to target',
                            *(f'on {g:g} Gbit/s' for g in args.bandwidths)], ratios)]
    return '\n'.join(text)


if __name__ == '__main__':
    main()
