"""The embedded-data framework and the moving-digits dataset."""
from __future__ import annotations

import json
import os
import os.path as osp

import numpy as np
import pytest

from projects.common.datasets import MovingDigitsBuilder, build_embedded_data
from projects.common.datasets.builder import MANIFEST
from projects.common.datasets.moving_digits import bouncing_track

SMALL = {'train': 6, 'val': 3}


def read_video(path: str) -> np.ndarray:
    import decord
    return decord.VideoReader(path).get_batch(list(range(16))).asnumpy()


def test_list_files_follow_mmaction_format(moving_digits_root):
    for split, count in {'train': 24, 'val': 8, 'test': 8}.items():
        with open(osp.join(moving_digits_root, f'{split}_list.txt')) as f:
            lines = f.read().splitlines()
        assert len(lines) == count
        for line in lines:
            name, label = line.split(' ')
            assert name.startswith(f'{split}/') and 0 <= int(label) <= 9
            assert osp.isfile(osp.join(moving_digits_root, 'videos', name))


def test_videos_decode_with_the_digit_inside_its_boxes(moving_digits_root):
    with open(osp.join(moving_digits_root, 'annotations', 'train_boxes.json')) as f:
        meta = json.load(f)[0]
    frames = read_video(osp.join(moving_digits_root, 'videos', meta['filename']))
    assert frames.shape == (16, 64, 64, 3)
    inside, outside = [], []
    for frame, (x1, y1, x2, y2) in zip(frames[..., 0].astype(float), meta['boxes'], strict=False):
        assert 0 <= x1 < x2 <= 64 and 0 <= y1 < y2 <= 64
        mask = np.zeros_like(frame, dtype=bool)
        mask[y1:y2, x1:x2] = True
        inside.append(frame[mask].max())
        outside.append(frame[~mask].max())
    # The ink is white; the texture is scaled to half intensity (plus codec ringing).
    assert np.mean(inside) > np.mean(outside) + 40


def test_splits_use_disjoint_handwriting(moving_digits_root):
    used = {}
    for split in ('train', 'val', 'test'):
        with open(osp.join(moving_digits_root, 'annotations', f'{split}_boxes.json')) as f:
            used[split] = {m['digit_index'] for m in json.load(f)}
    assert not used['train'] & used['val']
    assert not used['train'] & used['test']
    assert not used['val'] & used['test']


def test_build_is_deterministic(tmp_path):
    a = MovingDigitsBuilder(root=str(tmp_path / 'a'), videos=SMALL).build()
    b = MovingDigitsBuilder(root=str(tmp_path / 'b'), videos=SMALL).build()
    c = MovingDigitsBuilder(root=str(tmp_path / 'c'), videos=SMALL, seed=1).build()
    for split in SMALL:
        lists = [open(osp.join(r, f'{split}_list.txt')).read() for r in (a, b)]
        assert lists[0] == lists[1]
    video = 'train/00000.mp4'
    np.testing.assert_array_equal(read_video(osp.join(a, 'videos', video)),
                                  read_video(osp.join(b, 'videos', video)))
    assert not np.array_equal(read_video(osp.join(a, 'videos', video)),
                              read_video(osp.join(c, 'videos', video)))


def test_existing_dataset_is_reused_not_rewritten(tmp_path):
    root = MovingDigitsBuilder(root=str(tmp_path / 'd'), videos=SMALL).build()
    stamp = os.stat(osp.join(root, 'train_list.txt')).st_mtime_ns
    again = build_embedded_data(dict(type='MovingDigitsBuilder', root=root, videos=SMALL))
    assert again == root
    assert os.stat(osp.join(root, 'train_list.txt')).st_mtime_ns == stamp
    assert not [p for p in os.listdir(tmp_path) if '.tmp-' in p]


def test_other_arguments_are_refused_and_nothing_is_lost(tmp_path):
    root = MovingDigitsBuilder(root=str(tmp_path / 'e'), videos=SMALL).build()
    before = sorted(os.listdir(root))
    with pytest.raises(FileExistsError, match='other arguments'):
        MovingDigitsBuilder(root=root, videos=SMALL, frame_size=32, digit_size=16).build()
    assert sorted(os.listdir(root)) == before


def test_foreign_folder_is_never_overwritten(tmp_path):
    foreign = tmp_path / 'mine'
    foreign.mkdir()
    (foreign / 'notes.txt').write_text('keep me')
    with pytest.raises(FileExistsError, match=MANIFEST):
        MovingDigitsBuilder(root=str(foreign), videos=SMALL).build()
    assert (foreign / 'notes.txt').read_text() == 'keep me'


def test_unknown_builder_is_named():
    with pytest.raises(KeyError, match='MovingDigitz'):
        build_embedded_data(dict(type='MovingDigitz', root='unused'))


def test_bouncing_track_stays_inside():
    track = bouncing_track(200, 40, np.random.default_rng(0), (2.0, 3.0))
    assert track.min() >= 0 and track.max() <= 40
    steps = np.abs(np.diff(track, axis=0)).max()
    assert 0 < steps <= 4
