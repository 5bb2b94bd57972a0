"""fair_test_plot.py: means and spreads over seeds, the verdict, the plot, bad input."""
from __future__ import annotations

import json
import os.path as osp

import pytest

from tests.conftest import load_tool

TOOL = 'projects/adafocus_v2/tools/fair_test_plot.py'


def run(top1s: tuple[float, float, float], curve_top1: float) -> dict:
    names = ['AdaFocusV2, policy patches', 'AdaFocusV2, random patches',
             'TSN full frame 32px', 'TSN full frame 48px']
    gflops = [0.34, 0.34, 0.15, 0.39]
    rows = [dict(model=n, gflops=g, top1=t)
            for n, g, t in zip(names, gflops, (top1s[0], 0.3, top1s[1], top1s[2]), strict=True)]
    curve = [dict(q=q, gflops=0.1 * q, top1=curve_top1) for q in (0.5, 1.0)]
    return dict(accuracy=rows, conditional_exit=dict(curve=curve))


def write(tmp_path, runs: list[dict]) -> list[str]:
    paths = []
    for i, r in enumerate(runs):
        path = str(tmp_path / f'seed{i}.json')
        with open(path, 'w') as f:
            json.dump(r, f)
        paths.append(path)
    return paths


def test_means_spreads_and_verdicts(tmp_path, capsys):
    paths = write(tmp_path, [run((0.90, 0.50, 0.80), 0.6), run((0.92, 0.52, 0.90), 0.8),
                             run((0.94, 0.54, 0.70), 0.7)])
    out = str(tmp_path / 'plot.png')
    summary = load_tool(TOOL).main([*paths, '--out', out])
    ours, tsn32, tsn48 = (summary['rows'][i] for i in (0, 2, 3))
    assert ours['top1'] == pytest.approx(92.0) and ours['sd'] == pytest.approx(2.0)
    assert tsn48['top1'] == pytest.approx(80.0) and tsn48['sd'] == pytest.approx(10.0)
    # 92 ± 2 vs 52 ± 2: outside the spread; vs 80 ± 10: a 12-point gap inside 2 + 10.
    assert summary['verdicts'][0].endswith('+40.0 points, outside the seed spread')
    assert summary['verdicts'][1].endswith('+12.0 points, inside the seed spread')
    assert tsn32['seeds'] == 3
    assert [p['top1'] for p in summary['exit_curve']] == pytest.approx([70.0, 70.0])
    assert osp.isfile(out)
    assert '92.0 ± 2.0' in capsys.readouterr().out


def test_runs_of_different_benchmarks_are_refused(tmp_path):
    other = run((0.9, 0.5, 0.8), 0.6)
    other['accuracy'].pop()
    paths = write(tmp_path, [run((0.9, 0.5, 0.8), 0.6), other])
    with pytest.raises(ValueError, match='different models'):
        load_tool(TOOL).main(paths)
    with pytest.raises(FileNotFoundError, match='missing.json'):
        load_tool(TOOL).main([str(tmp_path / 'missing.json')])
