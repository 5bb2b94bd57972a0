"""The benchmark's report from hand-made runs (the trainings themselves are the README's)."""
import pytest

from tests.conftest import load_tool

benchmark = load_tool('projects/mtan/tools/benchmark.py')


def fake_runs(seeds):
    base = {'mIoU': 50.0, 'pixel_acc': 80.0, 'depth_abs_err': 1.0, 'depth_rel_err': 0.5,
            'normal_mean': 20.0, 'normal_median': 15.0, 'normal_within_11.25': 30.0,
            'normal_within_22.5': 60.0, 'normal_within_30': 70.0}
    runs = {}
    for seed in seeds:
        for config in benchmark.SINGLE.values():
            runs[f'{config}/{seed}'] = dict(params=100, metrics=base)
        for (arch, _), config in benchmark.VARIANTS.items():
            # MTAN halves the depth error; split is the single-task networks' equal.
            better = dict(base, depth_abs_err=0.5 + 0.01 * seed) if arch == 'MTAN' else base
            runs[f'{config}/{seed}'] = dict(params=200, metrics=better)
    return runs


def test_delta_mtl_and_tables():
    numbers, text = benchmark.summarise(fake_runs([0, 1, 2]), [0, 1, 2])
    assert numbers['Single-task x3/-']['params'] == 300
    assert numbers['Split/equal']['delta_mtl'] == [0.0] * 3
    # One of nine metrics improves by 50 % (seed 0): Δ_MTL = 50 / 9.
    assert numbers['MTAN/DWA']['delta_mtl'][0] == pytest.approx(50 / 9)
    assert numbers['MTAN/weighting_range'] == pytest.approx(0.0)
    assert 'outside' in text and 'Δ_MTL' in text


def test_report_leaves_out_variants_not_run_yet():
    runs = {k: v for k, v in fake_runs([0, 1, 2]).items() if 'uncert' not in k}
    numbers, text = benchmark.summarise(runs, [0, 1, 2])
    assert 'MTAN/uncert' not in numbers and 'MTAN/DWA' in numbers
    assert 'uncert' not in text
