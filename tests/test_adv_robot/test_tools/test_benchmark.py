"""The benchmark's report: aggregation over seeds, the trade-off and the plot."""
import json

import pytest

from tests.conftest import load_tool

benchmark = load_tool('projects/adv_robot/tools/benchmark.py')


def fake_run(seed, shift):
    eps = {f'{e:.4f}': None for e in benchmark.TASKS['gestures']['eps']}
    return dict(task='gestures', seed=seed, epochs=1, methods={
        'standard': dict(nominal=10.0 + shift, adversarial={k: 90.0 for k in eps}),
        'pgd_at': dict(nominal=20.0 + shift, adversarial={k: 60.0 for k in eps})})


def test_report_tradeoff_and_plot(tmp_path):
    for seed, shift in ((0, -1.0), (1, 1.0)):
        (tmp_path / f'gestures_seed{seed}.json').write_text(json.dumps(fake_run(seed, shift)))
    runs = benchmark.gather(str(tmp_path))
    cost, gain = benchmark.tradeoff('gestures', runs['gestures'], 'pgd_at')
    # Nominal error 10 -> 20 (+100 %), adversarial error 90 -> 60 (-33 %).
    assert cost == pytest.approx(1.0) and gain == pytest.approx(1 / 3)
    text = benchmark.report(str(tmp_path), str(tmp_path / 'plot.png'))
    assert '| pgd_at | 20.000 ± 1.414 |' in text and '+100 %' in text and '+33 %' in text
    assert (tmp_path / 'plot.png').stat().st_size > 1000
    with pytest.raises(FileNotFoundError, match='no \\*_seed'):
        benchmark.report(str(tmp_path / 'empty'), None)
