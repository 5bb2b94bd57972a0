"""The benchmark's bookkeeping: pooled pseudo-label precision, seed means, report."""
from __future__ import annotations

import pytest

from tests.conftest import load_tool


@pytest.fixture(scope='module')
def bench():
    return load_tool('projects/cmpl/tools/benchmark.py')


def records(masks, recalls):
    return [dict(iter=10 * (i + 1), epoch=1 + i // 2, loss=1.0, mask_aux=m, recall_aux=r)
            for i, (m, r) in enumerate(zip(masks, recalls, strict=True))]


def test_precision_is_pooled_and_undefined_without_confident_labels(bench):
    rows = bench.label_quality(records([0.5, 0.0, 0.8], [0.25, 0.0, 0.8]), 'aux')
    assert [r['precision'] for r in rows] == [0.5, None, 1.0]
    epochs = bench.per_epoch(rows)
    assert epochs[1]['precision'] == pytest.approx(0.125 / 0.25)  # recall / mask pooled


def test_mean_over_seeds_and_report(bench):
    first = bench.label_quality(records([0.5, 1.0], [0.5, 0.5]), 'aux')
    second = bench.label_quality(records([0.5, 0.0], [0.0, 0.0]), 'aux')
    curve = bench.mean_curve([first, second])
    assert [r['precision'] for r in curve] == [0.5, 0.5]  # the seed with no label is left out
    results = dict(seeds=[0, 1], pseudo_labels={'A': curve}, methods={
        'supervised': dict(top1_seeds=[0.5, 0.6], top1_mean=0.55, top1_std=0.07),
        'cmpl': dict(top1_seeds=[0.8, 0.9], top1_mean=0.85, top1_std=0.07)})
    text = bench.report(results)
    assert 'CMPL − supervised only: +30.0 points (outside' in text
    assert '| CMPL | 85.0 ± 7.0 | 80.0, 90.0 |' in text
