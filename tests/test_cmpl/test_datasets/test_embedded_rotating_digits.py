"""Rotating digits: labels are angular velocities, balanced, and the files are mmaction2's."""
from __future__ import annotations

import collections
import json
import os.path as osp

import numpy as np
import pytest

from projects.cmpl.datasets.embedded_rotating_digits import RotatingDigitsBuilder


@pytest.mark.parametrize('label', range(4))
def test_track_turns_at_the_label_speed(label):
    builder = RotatingDigitsBuilder(root='unused', digit_size=8, frame_size=64,
                                    radius=(20.0, 24.0))
    track, circle = builder.track(label, np.random.default_rng(label))
    dx = track[:, 0] - circle['centre'][0]
    dy = -(track[:, 1] - circle['centre'][1])  # rows grow downwards
    steps = np.rad2deg(np.diff(np.unwrap(np.arctan2(dy, dx))))
    np.testing.assert_allclose(steps, builder.speeds[label], atol=6)  # rounding to pixels
    # The reversed clip turns the other way: its label is the opposite speed's.
    assert np.sign(-steps.mean()) == np.sign(builder.speeds[3 - label])


def test_written_dataset(digits_root):
    for split, count in RotatingDigitsBuilder.smallest_args['videos'].items():
        with open(osp.join(digits_root, f'{split}_list.txt')) as f:
            lines = f.read().splitlines()
        assert len(lines) == count
        assert all(osp.isfile(osp.join(digits_root, 'videos', line.split()[0]))
                   for line in lines)
    with open(osp.join(digits_root, 'train_list.txt')) as f:
        labels = collections.Counter(line.split()[1] for line in f)
    assert labels == {'0': 2, '1': 2, '2': 2, '3': 2}
    with open(osp.join(digits_root, 'annotations', 'train.json')) as f:
        assert {'centre', 'radius', 'start', 'label'} <= set(json.load(f)[0])


def test_radius_must_fit():
    with pytest.raises(ValueError, match='radius'):
        RotatingDigitsBuilder(root='unused', radius=(4.0, 20.0))
