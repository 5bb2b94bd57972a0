"""Coarse-to-fine frame order and the glance/focus sampler of the TSM variant."""
from __future__ import annotations

import numpy as np
import pytest

from projects.adafocus_v2.datasets import (
    CoarseToFineOrder,
    SampleGlanceFocusFrames,
    coarse_to_fine_order,
)


def test_official_order_for_16_frames():
    assert coarse_to_fine_order(16) == [7, 0, 15, 3, 11, 1, 5, 9, 13, 2, 4, 6, 8, 10, 12, 14]


@pytest.mark.parametrize('num', [1, 2, 3, 5, 8, 12, 17])
def test_order_is_a_permutation(num):
    assert sorted(coarse_to_fine_order(num)) == list(range(num))


def test_transform_reorders_clips():
    results = dict(frame_inds=np.arange(10, 18), num_clips=8, clip_len=1)
    out = CoarseToFineOrder()(results)
    assert out['frame_inds'].tolist() == [13, 10, 17, 11, 15, 12, 14, 16]


def test_glance_and_focus_frames_are_sampled_separately():
    results = dict(total_frames=40, start_index=1)
    out = SampleGlanceFocusFrames(num_glance=4, num_focus=6, test_mode=True)(results)
    assert out['num_clips'] == 10 and out['num_glance_frames'] == 4
    glance, focus = out['frame_inds'][:4], out['frame_inds'][4:]
    # Test mode takes the centre frame of each TSN segment, 1-based: 40 frames cut into 4
    # segments of 10 and, separately, into 6 segments of 6.67.
    assert glance.tolist() == [6, 16, 26, 36]
    assert focus.tolist() == [4, 11, 17, 24, 31, 37]
