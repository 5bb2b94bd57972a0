"""budget_plot.py: means and spreads over seeds per budget and method."""
from __future__ import annotations

import json

import pytest

from tests.conftest import load_tool


def run(params: int, sbf: float, l1: float) -> dict:
    return dict(unpruned=dict(params=1000, top1=90.0),
                sbf_extracted=dict(params=params, top1=sbf),
                l1_finetuned=dict(params=params - 10, top1=l1))


def test_rows_average_the_seeds_of_each_budget(tmp_path):
    tool = load_tool('projects/sbf_pruner/tools/budget_plot.py')
    paths = []
    for i, r in enumerate([run(500, 80.0, 82.0), run(520, 84.0, 86.0), run(300, 70.0, 75.0)]):
        paths.append(str(tmp_path / f'{i}.json'))
        with open(paths[-1], 'w') as f:
            json.dump(r, f)
    rows = tool.main(['--budget', '0.5', *paths[:2], '--budget', '0.3', paths[2],
                      '--out', str(tmp_path / 'plot.png')])
    by = {(r['budget'], r['method']): r for r in rows}
    assert by[(0.5, 'SbF-Pruner')]['top1'] == 82.0
    assert by[(0.5, 'SbF-Pruner')]['sd'] == pytest.approx(2 ** 0.5 * 2)
    assert by[(0.5, 'L1 + fine-tuning')]['kept'] == pytest.approx(0.5)
    assert by[(0.3, 'SbF-Pruner')]['seeds'] == 1 and by[(0.3, 'SbF-Pruner')]['sd'] == 0
    assert (tmp_path / 'plot.png').is_file()
    with pytest.raises(SystemExit, match='0.7'):
        tool.main(['--budget', '0.7'])
