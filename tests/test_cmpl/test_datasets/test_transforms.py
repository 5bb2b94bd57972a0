"""Clip transforms: strong augmentation identical on every frame, subsampling, multi-view."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from mmaction.registry import TRANSFORMS

from projects.cmpl.datasets.transforms import _OPS, ClipRandAugment, apply_clip_op


def clip(frames: int = 6, size: int = 16, same: bool = False) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    first = rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
    return [first.copy() if same else rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
            for _ in range(frames)]


@pytest.mark.parametrize('op', sorted(_OPS))
def test_every_operation_is_the_same_on_every_frame(op):
    np.random.seed(0)
    aug = ClipRandAugment(num_ops=1, magnitude=1.0, cutout=0.5, ops=[op])
    for _ in range(5):
        out = aug(dict(imgs=clip(same=True)))['imgs']
        for frame in out[1:]:
            np.testing.assert_array_equal(frame, out[0])


def test_strong_augmentation_draws_once_per_clip():
    np.random.seed(1)
    aug = ClipRandAugment(num_ops=3, magnitude=1.0, cutout=0.5,
                          ops=['Rotate', 'ShearX', 'TranslateY', 'Brightness', 'Solarize'])
    frames = clip()
    results = aug(dict(imgs=[f.copy() for f in frames]))
    # Geometric and point-wise operations do not depend on the other frames: each output
    # frame is the drawn operations applied to that frame alone.
    for frame, out in zip(frames, results['imgs'], strict=False):
        np.testing.assert_array_equal(aug.apply(frame[None], results['clip_aug'])[0], out)
    assert results['clip_aug'][-1][0] == 'Cutout'
    assert aug(dict(imgs=frames))['clip_aug'] != results['clip_aug']  # redrawn per clip


def test_clip_statistics_come_from_the_whole_clip():
    dark, bright = np.full((4, 4, 3), 10, np.uint8), np.full((4, 4, 3), 200, np.uint8)
    out = apply_clip_op(np.stack([dark, bright]), 'AutoContrast', 0.0)
    assert out[0].max() == 0 and out[1].min() == 255  # one mapping, not one per frame


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match='unknown ops'):
        ClipRandAugment(ops=['Flip'])
    with pytest.raises(ValueError, match='step'):
        TRANSFORMS.build(dict(type='SubsampleFrames', step=2, offset=2))


def test_subsample_keeps_every_step_th_frame_of_each_clip():
    frames = [np.full((2, 2, 3), i, np.uint8) for i in range(16)]
    results = dict(imgs=frames, clip_len=8, num_clips=2, frame_inds=np.arange(16),
                   frame_interval=2)
    out = TRANSFORMS.build(dict(type='SubsampleFrames', step=4, offset=1))(results)
    assert [int(f[0, 0, 0]) for f in out['imgs']] == [1, 5, 9, 13]
    assert out['clip_len'] == 2 and out['frame_interval'] == 8
    assert out['frame_inds'].tolist() == [1, 5, 9, 13]


def test_multi_view_packs_each_view_from_the_same_clip():
    pack = [dict(type='FormatShape', input_format='NCTHW'), dict(type='PackActionInputs')]
    view = TRANSFORMS.build(dict(type='MultiView', views=dict(
        fast=pack, slow=[dict(type='SubsampleFrames', step=2)] + pack)))
    frames = [np.full((4, 4, 3), i, np.uint8) for i in range(8)]
    out = view(dict(imgs=frames, clip_len=8, num_clips=1, label=3, modality='RGB'))
    assert out['inputs']['fast'].shape == (1, 3, 8, 4, 4)
    assert out['inputs']['slow'].shape == (1, 3, 4, 4, 4)
    torch.testing.assert_close(out['inputs']['slow'], out['inputs']['fast'][:, :, ::2])
    assert int(out['data_samples'].gt_label) == 3
