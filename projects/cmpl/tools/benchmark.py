"""CMPL evidence: supervised-only, FixMatch and CMPL on rotating digits, 3 seeds each.

For every method and seed the tool trains the tiny config (same primary network F, labels,
iterations and schedule; the seed sets the label split, the pairing of clips and the
initialisation), then tests F alone (the checkpoint ``ExportPrimaryHook`` wrote, in the plain
``primary-only`` config) on the held-out test split. It reports

1. test top-1 per method: mean, standard deviation and every seed, and the gaps between methods
   next to their spread;
2. pseudo-label precision (correct among confident) and recall (correct and confident among
   all unlabeled clips) over training, from the training logs, for F's and A's labels in CMPL
   and F's in FixMatch (mean over seeds), as a table, a CSV and a plot.

Example (the README's numbers; one CPU thread, about 20 minutes)::

    python projects/cmpl/tools/benchmark.py --seeds 0 1 2 --work-dir work_dirs/cmpl_benchmark

Finished runs are reused (their ``primary_only.pth``); ``--retrain`` trains again.
"""
from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import os.path as osp
import statistics
import sys
import uuid
from collections import defaultdict

REPO_ROOT = osp.abspath(osp.join(osp.dirname(__file__), '../../..'))
sys.path.insert(0, REPO_ROOT)

import torch  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import projects.cmpl  # noqa: E402,F401
from projects.common import benchmark as harness  # noqa: E402
from projects.common.config import load_config  # noqa: E402

CONFIG_DIR = osp.join(REPO_ROOT, 'projects/cmpl/configs')
TAIL = 'tiny-rotating-digits-2pct.py'
CONFIGS = {
    'supervised': f'supervised_r3d18-w16_1xb4-8x2x1-6e_{TAIL}',
    'fixmatch': f'fixmatch_r3d18-w16_1xb4-mu2-8x2x1-6e_{TAIL}',
    'cmpl': f'cmpl_r3d18-w16_aux-w4_1xb4-mu2-8x2x1-6e_{TAIL}',
}
PRIMARY_ONLY = 'primary-only_r3d18-w16_1xb4-8x2x1-6e_tiny-rotating-digits.py'
NAMES = {'supervised': 'supervised only', 'fixmatch': 'FixMatch', 'cmpl': 'CMPL'}
# Pseudo-label streams: (method, logged network name, label in reports).
STREAMS = (('cmpl', 'primary', "CMPL, F's labels (train A)"),
           ('cmpl', 'aux', "CMPL, A's labels (train F)"),
           ('fixmatch', 'primary', "FixMatch, F's labels (train F)"))
CHANCE = 0.25


def run_dir(work_dir: str, method: str, seed: int) -> str:
    return osp.join(work_dir, method, f'seed{seed}')


def train(method: str, seed: int, work_dir: str, epochs: int | None) -> str:
    """Trains one method with one seed; returns the exported primary checkpoint."""
    cfg = load_config(osp.join(CONFIG_DIR, CONFIGS[method]))
    cfg.work_dir = work_dir
    cfg.experiment_name = f'{method}_seed{seed}_{uuid.uuid4().hex[:6]}'
    cfg.randomness.seed = seed
    semi = cfg.train_dataloader.dataset.dataset
    semi.split_seed, semi.seed = seed, seed
    if epochs is not None:
        cfg.train_cfg.max_epochs = epochs
        for scheduler in cfg.param_scheduler:
            scheduler.T_max = epochs
    Runner.from_cfg(cfg).train()
    return osp.join(work_dir, 'primary_only.pth')


def curves(work_dir: str) -> list[dict]:
    """Logged training scalars (one record per logging interval) of a run."""
    paths = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not paths:
        raise FileNotFoundError(f'No training log (*/vis_data/scalars.json) in {work_dir!r}.')
    with open(paths[-1]) as f:
        records = [json.loads(line) for line in f]
    return [r for r in records if 'loss' in r]


def label_quality(records: list[dict], net: str) -> list[dict]:
    """Pseudo-label precision and recall of ``net`` per logged interval.

    Precision is pooled over the interval (logged recall / logged mask ratio, both means over
    the same clips), so intervals without a confident label carry no weight. ``complement``
    (CMPL only): clips that this network labels correctly and the other one does not.
    """
    rows = []
    for r in records:
        mask, recall = r.get(f'mask_{net}'), r.get(f'recall_{net}')
        if mask is None or recall is None:
            continue
        rows.append(dict(iter=r['iter'], epoch=r['epoch'], mask=mask, recall=recall,
                         precision=recall / mask if mask > 0 else None,
                         complement=r.get(f'complement_{net}')))
    return rows


def mean_curve(per_seed: list[list[dict]]) -> list[dict]:
    """Mean over seeds of label-quality rows, aligned by iteration."""
    by_iter = defaultdict(list)
    for rows in per_seed:
        for row in rows:
            by_iter[row['iter']].append(row)
    out = []
    for it in sorted(by_iter):
        rows = by_iter[it]
        precisions = [r['precision'] for r in rows if r['precision'] is not None]
        complements = [r['complement'] for r in rows if r.get('complement') is not None]
        out.append(dict(iter=it, epoch=rows[0]['epoch'],
                        complement=statistics.mean(complements) if complements else None,
                        mask=statistics.mean(r['mask'] for r in rows),
                        recall=statistics.mean(r['recall'] for r in rows),
                        precision=statistics.mean(precisions) if precisions else None))
    return out


def plot(streams: dict[str, list[dict]], path: str) -> str | None:
    """Per-epoch precision and recall (as in the report's table), one line per stream (PNG);
    None without matplotlib."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), dpi=80)
    for label, rows in streams.items():
        epochs = per_epoch(rows)
        defined = [e for e, r in epochs.items() if r['precision'] is not None]
        axes[0].plot(defined, [epochs[e]['precision'] for e in defined], 'o-', label=label)
        axes[1].plot(list(epochs), [r['recall'] for r in epochs.values()], 'o-', label=label)
    for ax, title in zip(axes, ('precision (correct / confident)',
                                'recall (correct & confident / all)'), strict=True):
        ax.set_title(title, fontsize=10)
        ax.set_xlabel('epoch')
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    axes[1].legend(fontsize=8, loc='lower right')
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--methods', nargs='+', default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument('--work-dir', default='work_dirs/cmpl_benchmark')
    parser.add_argument('--epochs', type=int, default=None,
                        help="override the configs' max_epochs (and the cosine period)")
    parser.add_argument('--retrain', action='store_true', help='train finished runs again')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    torch.set_num_threads(1)
    os.chdir(REPO_ROOT)  # the configs' data/ paths are relative to the repository
    work_dir = osp.abspath(args.work_dir)
    primary_only = load_config(osp.join(CONFIG_DIR, PRIMARY_ONLY))
    results: dict = dict(methods={}, pseudo_labels={}, seeds=args.seeds)
    logs: dict[str, list[list[dict]]] = defaultdict(list)
    for method in args.methods:
        top1 = []
        for seed in args.seeds:
            out = run_dir(work_dir, method, seed)
            ckpt = osp.join(out, 'primary_only.pth')
            if args.retrain or not osp.isfile(ckpt):
                ckpt = train(method, seed, out, args.epochs)
            metrics = harness.evaluate(primary_only, ckpt, osp.join(out, 'test'))
            top1.append(metrics['acc/top1'])
            if method != 'supervised':
                logs[method].append(curves(out))
        results['methods'][method] = dict(
            top1_seeds=top1, top1_mean=statistics.mean(top1),
            top1_std=statistics.stdev(top1) if len(top1) > 1 else 0.0)
    for method, net, label in STREAMS:
        if logs.get(method):
            results['pseudo_labels'][label] = mean_curve(
                [label_quality(records, net) for records in logs[method]])
    figures = []
    if results['pseudo_labels']:
        os.makedirs(work_dir, exist_ok=True)
        write_csv(results['pseudo_labels'], osp.join(work_dir, 'pseudo_labels.csv'))
        figure = plot(results['pseudo_labels'], osp.join(work_dir, 'pseudo_labels.png'))
        figures = [figure] if figure else []
    harness.write_report(results, osp.join(work_dir, 'benchmark.json'), report(results),
                         figures)
    return results


def write_csv(streams: dict[str, list[dict]], path: str) -> None:
    with open(path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['stream', 'iter', 'epoch', 'mask', 'precision', 'recall',
                         'complement'])
        for label, rows in streams.items():
            for r in rows:
                writer.writerow([label, r['iter'], r['epoch'], f"{r['mask']:.4f}",
                                 '' if r['precision'] is None else f"{r['precision']:.4f}",
                                 f"{r['recall']:.4f}",
                                 '' if r['complement'] is None else f"{r['complement']:.4f}"])


def per_epoch(rows: list[dict]) -> dict[int, dict]:
    """Mean mask, recall and pooled precision of each epoch's logged intervals."""
    epochs = defaultdict(list)
    for r in rows:
        epochs[r['epoch']].append(r)
    out = {}
    for epoch, group in sorted(epochs.items()):
        mask = statistics.mean(r['mask'] for r in group)
        recall = statistics.mean(r['recall'] for r in group)
        complements = [r['complement'] for r in group if r.get('complement') is not None]
        out[epoch] = dict(mask=mask, recall=recall, precision=recall / mask if mask else None,
                          complement=statistics.mean(complements) if complements else None)
    return out


def report(results: dict) -> str:
    methods = results['methods']
    pct = '{:.1f}'.format
    sections = [
        f"Rotating digits, held-out test split (chance {100 * CHANCE:.0f} %), primary network "
        f"F alone, seeds {results['seeds']}:\n\n" + harness.markdown_table(
            ['method', 'top-1 (%) mean ± std', 'seeds'],
            [[NAMES[m], f"{pct(100 * r['top1_mean'])} ± {pct(100 * r['top1_std'])}",
              ', '.join(pct(100 * t) for t in r['top1_seeds'])] for m, r in methods.items()])]
    gaps = []
    for a, b in (('cmpl', 'fixmatch'), ('fixmatch', 'supervised'), ('cmpl', 'supervised')):
        if a in methods and b in methods:
            gap = 100 * (methods[a]['top1_mean'] - methods[b]['top1_mean'])
            spread = 100 * max(methods[a]['top1_std'], methods[b]['top1_std'])
            verdict = 'outside' if abs(gap) > spread else 'inside'
            gaps.append(f'- {NAMES[a]} − {NAMES[b]}: {gap:+.1f} points ({verdict} the larger '
                        f'standard deviation, {spread:.1f}).')
    if gaps:
        sections.append('\n'.join(gaps))
    if results['pseudo_labels']:
        rows = []
        for label, curve in results['pseudo_labels'].items():
            for epoch, r in per_epoch(curve).items():
                rows.append([label, epoch, pct(100 * r['mask']),
                             '–' if r['precision'] is None else pct(100 * r['precision']),
                             pct(100 * r['recall']),
                             '–' if r['complement'] is None else pct(100 * r['complement'])])
        sections.append(
            'Pseudo-labels on the unlabeled clips per epoch (mean over seeds; mask: confident '
            'fraction; precision: correct among confident; recall: correct and confident '
            'among all; only these right: clips that these labels get right, confidently, and '
            "the other network's do not):\n\n" + harness.markdown_table(
                ['labels', 'epoch', 'mask (%)', 'precision (%)', 'recall (%)',
                 'only these right (%)'], rows))
    return '\n\n'.join(sections)


if __name__ == '__main__':
    main()
