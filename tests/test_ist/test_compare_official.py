"""The comparison with the official code (runs when IST_OFFICIAL_REPO points at a checkout
of BinhangYuan/IST_Release; skipped otherwise)."""
from __future__ import annotations

import os

import pytest

from tests.conftest import load_tool

OFFICIAL = os.environ.get('IST_OFFICIAL_REPO')


@pytest.mark.skipif(not OFFICIAL, reason='IST_OFFICIAL_REPO is not set')
@pytest.mark.parametrize('layers', [2, 3])
def test_same_outputs_subnets_and_write_back_as_the_official_code(layers):
    tool = load_tool('projects/ist/tools/compare_official.py')
    result = tool.compare(OFFICIAL, layers, in_channels=40, width=64, classes=7, subnets=4)
    assert result == dict(forward_max_abs_diff=0.0, slice_max_abs_diff=0.0,
                          write_back_max_abs_diff=0.0)


def test_a_missing_checkout_is_named(tmp_path):
    tool = load_tool('projects/ist/tools/compare_official.py')
    with pytest.raises(FileNotFoundError, match='IST_Release'):
        tool.load_official(str(tmp_path), 3)
