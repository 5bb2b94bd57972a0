"""The fair test over seeds: AdaFocusV2 against full-frame TSNs on one accuracy-vs-GFLOPs plot.

Reads the ``benchmark.json`` that ``benchmark.py`` wrote for each seed (AdaFocusV2 with π's
patches, its random-patch control, the TSN baselines, the conditional-exit curve), and reports
per model the mean ± standard deviation over the seeds of test top-1 at its GFLOPs per video,
and per q the conditional-exit curve averaged over the seeds. Prints the table, says for
AdaFocusV2 against each TSN whether the gap is outside the seed spread (mean difference larger
than the two standard deviations added), and draws the plot.

Example (the README's fair test)::

    python projects/adafocus_v2/tools/fair_test_plot.py \\
        work_dirs/fair128/seed{0,1,2}/bench/benchmark.json --out fair_test.png
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


def mean_sd(values: list[float]) -> tuple[float, float]:
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def summarise(runs: list[dict]) -> dict:
    """Rows (model, GFLOPs, top-1 mean and sd, seeds) and the mean conditional-exit curve.

    Raises:
        ValueError: If the runs do not list the same models (other benchmark settings).
    """
    names = [[r['model'] for r in run['accuracy']] for run in runs]
    if any(n != names[0] for n in names):
        raise ValueError(f'The benchmark files list different models: {names}; give the '
                         'results of one benchmark command run with different seeds.')
    rows = []
    for i, name in enumerate(names[0]):
        top1 = [100 * run['accuracy'][i]['top1'] for run in runs]
        mean, sd = mean_sd(top1)
        rows.append(dict(model=name, gflops=runs[0]['accuracy'][i]['gflops'], top1=mean, sd=sd,
                         seeds=len(top1)))
    curve = defaultdict(list)
    for run in runs:
        for point in run['conditional_exit']['curve']:
            curve[point['q']].append((point['gflops'], 100 * point['top1']))
    exit_points = []
    for q, values in sorted(curve.items()):
        if len(values) == len(runs):
            gflops = statistics.mean(v[0] for v in values)
            mean, sd = mean_sd([v[1] for v in values])
            exit_points.append(dict(q=q, gflops=gflops, top1=mean, sd=sd))
    return dict(rows=rows, exit_curve=exit_points)


def verdicts(rows: list[dict]) -> list[str]:
    """AdaFocusV2 (π's patches) against each full-frame TSN: the gap and whether it exceeds
    the seed spread."""
    ours = next(r for r in rows if r['model'].startswith('AdaFocusV2, policy'))
    lines = []
    for r in rows:
        if not r['model'].startswith('TSN'):
            continue
        gap = ours['top1'] - r['top1']
        outside = abs(gap) > ours['sd'] + r['sd']
        lines.append(f"AdaFocusV2 ({ours['gflops']:.3f} GFLOPs) - {r['model']} "
                     f"({r['gflops']:.3f} GFLOPs): {gap:+.1f} points, "
                     f"{'outside' if outside else 'inside'} the seed spread")
    return lines


def plot(summary: dict, path: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    curve = summary['exit_curve']
    if curve:
        ax.plot([p['gflops'] for p in curve], [p['top1'] for p in curve], '-', color='C0',
                alpha=0.6, label='AdaFocusV2+ (conditional exit)')
    for i, r in enumerate(summary['rows']):
        marker = '*' if r['model'].startswith('AdaFocusV2, policy') else 'o'
        ax.errorbar([r['gflops']], [r['top1']], yerr=[r['sd']], marker=marker, capsize=3,
                    markersize=10 if marker == '*' else 6, linestyle='none',
                    color='C0' if marker == '*' else f'C{i + 1}', label=r['model'])
    ax.set_xlabel('GFLOPs per video')
    ax.set_ylabel(f"test top-1 (%), mean ± sd of {summary['rows'][0]['seeds']} seeds")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('results', nargs='+', help="benchmark.json of each seed's run")
    parser.add_argument('--out', default='fair_test.png', help='the plot')
    args = parser.parse_args(argv)
    runs = []
    for path in args.results:
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path!r} not found: run projects/adafocus_v2/tools/'
                                    'benchmark.py with --work-dir set to its folder first.')
        with open(path) as f:
            runs.append(json.load(f))
    summary = summarise(runs)
    summary['verdicts'] = verdicts(summary['rows'])
    plot(summary, args.out)
    print(harness.markdown_table(
        ['model', 'GFLOPs / video', 'test top-1 (%)', 'seeds'],
        [[r['model'], f"{r['gflops']:.3f}", f"{r['top1']:.1f} ± {r['sd']:.1f}", r['seeds']]
         for r in summary['rows']]))
    print('\n'.join(summary['verdicts']))
    print(f'plot: {args.out}')
    return summary


if __name__ == '__main__':
    main()
