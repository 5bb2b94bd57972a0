"""The digit-order videos (labels are visit orders) and the digit stills."""
import json
import os.path as osp

import cv2
import decord
import numpy as np
import pytest

from projects.mvfnet.datasets.embedded_digit_order import (
    ORDERS,
    DigitOrderBuilder,
    DigitStillsBuilder,
)

VIDEOS = {'train': 30, 'val': 6, 'test': 6}


@pytest.fixture(scope='module')
def digit_order(tmp_path_factory) -> str:
    return DigitOrderBuilder(root=str(tmp_path_factory.mktemp('do') / 'd'), videos=VIDEOS).build()


def records(root: str, split: str) -> list[dict]:
    with open(osp.join(root, 'annotations', f'{split}.json')) as f:
        return json.load(f)


def test_lists_and_videos(digit_order):
    for split, count in VIDEOS.items():
        lines = open(osp.join(digit_order, f'{split}_list.txt')).read().split('\n')[:-1]
        assert len(lines) == count
        for line in lines:
            name, label = line.split()
            assert 0 <= int(label) < 6
            reader = decord.VideoReader(osp.join(digit_order, 'videos', name))
            assert len(reader) == 12 and reader[0].shape == (32, 32, 3)


def test_label_is_the_visit_order(digit_order):
    """Stops sorted left to right, visited in the label's permutation; one line per video."""
    labels = set()
    for item in records(digit_order, 'train'):
        xs = [x for x, _ in item['stops']]
        assert len({y for _, y in item['stops']}) == 1
        ordered = sorted(xs)
        assert xs == [ordered[j] for j in ORDERS[item['label']]]
        assert min(np.diff(ordered)) >= 4
        labels.add(item['label'])
    assert len(labels) > 3


def test_frames_follow_the_stops(digit_order):
    """Frames change only where the digit leaves and where it arrives, at the dwell borders."""
    for item in records(digit_order, 'test'):
        reader = decord.VideoReader(osp.join(digit_order, 'videos', item['filename']))
        frames = reader.get_batch(list(range(12))).asnumpy()[..., 0].astype(float)
        for k in (1, 2):
            inside = np.zeros((32, 32), bool)
            for x, y in item['stops'][k - 1:k + 1]:
                inside[y:y + 12, x:x + 12] = True
            change = np.abs(frames[4 * k] - frames[4 * k - 1])
            assert change[inside].mean() > 5 * max(change[~inside].mean(), 0.5)
            assert np.abs(frames[4 * k + 1] - frames[4 * k]).mean() < change[inside].mean() / 5


def test_frame_sets_do_not_depend_on_the_label(digit_order):
    """Reversing a video's frames gives the video of another label (orders are closed under
    reversal), so the set of frames carries no information about the label."""
    reversed_labels = {ORDERS.index(tuple(reversed(order))) for order in ORDERS}
    assert reversed_labels == set(range(6))


def test_splits_use_disjoint_handwriting(digit_order):
    used = {split: {r['digit_index'] for r in records(digit_order, split)} for split in VIDEOS}
    assert not used['train'] & used['val'] and not used['train'] & used['test']


def test_no_room_for_three_stops():
    with pytest.raises(ValueError, match='no room'):
        DigitOrderBuilder(root='unused', frame_size=16, digit_size=12, min_gap=4)


def test_stills(tmp_path):
    root = DigitStillsBuilder(root=str(tmp_path / 's'), videos=VIDEOS,
                              images={'train': 20, 'val': 5}).build()
    lines = open(osp.join(root, 'train_list.txt')).read().split('\n')[:-1]
    assert len(lines) == 20
    for line in lines:
        name, frames, label = line.split()
        assert frames == '1' and 0 <= int(label) < 10
        image = cv2.imread(osp.join(root, 'rawframes', name, 'img_00001.png'))
        assert image.shape == (32, 32, 3)
    assert 'dwell' not in json.load(open(osp.join(root, 'mmplug_manifest.json')))['params']
