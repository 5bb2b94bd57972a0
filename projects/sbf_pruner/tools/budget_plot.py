"""Accuracy against parameters kept, SbF-Pruner vs L1 vs random pruning, over budgets and seeds.

Reads the ``benchmark.json`` files that ``benchmark.py --random`` wrote (one per budget and
seed; ``--budget B FILE ...`` once per budget), and draws mean ± standard deviation over the seeds
of each method's test top-1 against the share of the unpruned network's parameters it keeps
(L1 and random pruning are cut to the SbF network's size, fine-tuned as long). Prints the
table and writes the plot.

Example::

    python projects/sbf_pruner/tools/budget_plot.py \\
        --budget 0.3 work_dirs/sbf/s{0,1,2}/bench_b0.3/benchmark.json \\
        --budget 0.7 work_dirs/sbf/s{0,1,2}/bench_b0.7/benchmark.json --out budgets.png
"""
from __future__ import annotations

import argparse
import json
import os.path as osp
import statistics
import sys
from collections import defaultdict

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.common import benchmark as harness  # noqa: E402

METHODS = {'sbf_extracted': 'SbF-Pruner', 'l1_finetuned': 'L1 + fine-tuning',
           'random_finetuned': 'random + fine-tuning'}


def summarise(results: dict[float, list[dict]]) -> list[dict]:
    """One row per (budget, method): means and spreads over the seeds of that budget."""
    groups = defaultdict(list)
    for budget, runs in results.items():
        for r in runs:
            dense = r['unpruned']['params']
            for key in METHODS:
                if key in r:
                    groups[(budget, key)].append((r[key]['top1'], r[key]['params'] / dense))
    rows = []
    for (budget, key), values in sorted(groups.items()):
        top1 = [v[0] for v in values]
        kept = [v[1] for v in values]
        rows.append(dict(budget=budget, method=METHODS[key], kept=statistics.mean(kept),
                         top1=statistics.mean(top1),
                         sd=statistics.stdev(top1) if len(top1) > 1 else 0.0,
                         seeds=len(top1)))
    return rows


def plot(rows: list[dict], path: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for method in METHODS.values():
        pts = [r for r in rows if r['method'] == method]
        ax.errorbar([100 * r['kept'] for r in pts], [r['top1'] for r in pts],
                    yerr=[r['sd'] for r in pts], marker='o', capsize=3, label=method)
    ax.set_xlabel('parameters kept (% of the unpruned network)')
    ax.set_ylabel('test top-1 (%)')
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--budget', nargs='+', action='append', required=True,
                        metavar=('B', 'JSON'), help='a budget and its benchmark.json files')
    parser.add_argument('--out', help='image file for the plot')
    args = parser.parse_args(argv)
    results = {}
    for budget, *paths in args.budget:
        if not paths:
            raise SystemExit(f'--budget {budget}: name its benchmark.json files after it.')
        results[float(budget)] = []
        for path in paths:
            with open(path) as f:
                results[float(budget)].append(json.load(f))
    rows = summarise(results)
    print(harness.markdown_table(
        ['budget', 'method', 'params kept', 'test top-1 (%)', 'seeds'],
        [[r['budget'], r['method'], f"{100 * r['kept']:.1f} %",
          f"{r['top1']:.2f} ± {r['sd']:.2f}", r['seeds']] for r in rows]))
    if args.out:
        plot(rows, args.out)
    return rows


if __name__ == '__main__':
    main()
