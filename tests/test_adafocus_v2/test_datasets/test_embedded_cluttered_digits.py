"""The cluttered-digits builders (projects/adafocus_v2/datasets/embedded_cluttered_digits.py)."""
from __future__ import annotations

import json
import os.path as osp

import cv2
import numpy as np
import pytest

from projects.adafocus_v2.datasets.embedded_cluttered_digits import (
    ClutteredDigitsBuilder,
    ClutteredDigitStillsBuilder,
)
from projects.common.datasets import EMBEDDED_DATA
from projects.common.datasets.moving_digits import load_digit_images, split_indices


def read_frames(path: str) -> np.ndarray:
    capture, frames = cv2.VideoCapture(path), []
    while True:
        ok, frame = capture.read()
        if not ok:
            return np.stack(frames)[..., 0].astype(np.float32)
        frames.append(frame)


def test_registered():
    assert EMBEDDED_DATA.get('ClutteredDigitsBuilder') is ClutteredDigitsBuilder


def test_videos_lists_and_boxes(cluttered_digits_root):
    root = cluttered_digits_root
    with open(osp.join(root, 'train_list.txt')) as f:
        lines = f.read().split()
    assert len(lines) == 2 * 24
    with open(osp.join(root, 'annotations', 'train_boxes.json')) as f:
        boxes = json.load(f)
    assert [b['filename'] for b in boxes] == lines[0::2]
    assert [str(b['label']) for b in boxes] == lines[1::2]
    for item in boxes[:4]:
        frames = read_frames(osp.join(root, 'videos', item['filename']))
        assert frames.shape == (16, 64, 64)
        for frame, (x1, y1, x2, y2) in zip(frames, item['boxes'], strict=True):
            assert 0 <= x1 < x2 <= 64 and 0 <= y1 < y2 <= 64 and x2 - x1 == 16
            # The digit, drawn at full intensity, is the brightest thing in its box.
            assert frame[y1:y2, x1:x2].max() > 200


def test_deterministic_and_splits_disjoint(tmp_path):
    args = dict(videos={'train': 6, 'test': 6}, num_frames=4)
    a = ClutteredDigitsBuilder(root=str(tmp_path / 'a'), **args).build()
    b = ClutteredDigitsBuilder(root=str(tmp_path / 'b'), **args).build()
    for name in ('train_list.txt', 'annotations/test_boxes.json'):
        with open(osp.join(a, name)) as fa, open(osp.join(b, name)) as fb:
            assert fa.read() == fb.read()
    indices = {}
    for split in ('train', 'test'):
        with open(osp.join(a, 'annotations', f'{split}_boxes.json')) as f:
            indices[split] = {item['digit_index'] for item in json.load(f)}
    assert not indices['train'] & indices['test']


def test_stills_use_only_training_handwriting(tmp_path):
    videos = {'train': 12, 'val': 4, 'test': 4}
    video_root = ClutteredDigitsBuilder(root=str(tmp_path / 'videos'), videos=videos,
                                        num_frames=2).build()
    stills_root = ClutteredDigitStillsBuilder(root=str(tmp_path / 'stills'), videos=videos,
                                              images={'train': 40, 'val': 8}).build()
    held_out = set()
    for split in ('val', 'test'):
        with open(osp.join(video_root, 'annotations', f'{split}_boxes.json')) as f:
            held_out |= {item['digit_index'] for item in json.load(f)}
    train_pool = set(split_indices(len(load_digit_images()[0]), videos,
                                   np.random.default_rng(0))['train'].tolist())
    for split, count in (('train', 40), ('val', 8)):
        with open(osp.join(stills_root, 'annotations', f'{split}_digits.json')) as f:
            digits = json.load(f)
        assert len(digits) == count
        used = {item['digit_index'] for item in digits}
        assert used <= train_pool and not used & held_out
        for item in digits[:4]:
            still = cv2.imread(osp.join(stills_root, 'rawframes', item['frame_dir'],
                                        'img_00001.png'), cv2.IMREAD_GRAYSCALE)
            x1, y1, x2, y2 = item['box']
            assert still.shape == (40, 40) and x2 - x1 == 16 and 0 <= x1 and x2 <= 40
            assert still[y1:y2, x1:x2].max() > 200
    with open(osp.join(stills_root, 'val_list.txt')) as f:
        lines = [line.split() for line in f.read().splitlines()]
    assert lines == [[item['frame_dir'], '1', str(item['label'])] for item in digits]


def test_motion_region_keeps_the_digit_central(tmp_path):
    root = ClutteredDigitsBuilder(root=str(tmp_path / 'c'), videos={'train': 8}, num_frames=6,
                                  frame_size=64, motion_region=32, speed=(3.0, 6.0)).build()
    with open(osp.join(root, 'annotations', 'train_boxes.json')) as f:
        boxes = np.array([item['boxes'] for item in json.load(f)])
    # Every box inside the central 32x32 square [16, 48)^2, and the digit moves in it.
    assert boxes[..., :2].min() >= 16 and boxes[..., 2:].max() <= 48
    assert (boxes[:, 1:] != boxes[:, :1]).any()
    with open(osp.join(root, 'mmplug_manifest.json')) as f:
        assert json.load(f)['params']['motion_region'] == 32
    # Unset, the option stays out of the manifest, so older data is still recognised.
    assert 'motion_region' not in ClutteredDigitsBuilder(root='unused').manifest()['params']
    with pytest.raises(ValueError, match='motion_region=8'):
        ClutteredDigitsBuilder(root='unused', motion_region=8)
