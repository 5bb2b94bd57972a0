"""The embedded VSR clips: layout, determinism, disjoint photographs, degradations, true flow."""
from __future__ import annotations

import filecmp
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmagic.models.utils import flow_warp
from mmengine.registry import init_default_scope

from projects.ttvsr.datasets.camera import load_camera, lr_flow
from projects.ttvsr.datasets.degradations import bd_degrade, bi_degrade, gaussian_kernel_1d
from projects.ttvsr.datasets.embedded_vsr import (
    TEST_PHOTOS,
    TRAIN_PHOTOS,
    EmbeddedVSRBuilder,
    camera_path,
)

SMALL = dict(clips=dict(train=2, test=1), num_frames=dict(train=4, test=5), gt_size=64)


@pytest.fixture(scope='module')
def small_root(tmp_path_factory) -> str:
    return EmbeddedVSRBuilder(root=str(tmp_path_factory.mktemp('evsr') / 'vsr'), **SMALL).build()


def test_layout_and_meta_info(small_root):
    assert sorted(os.listdir(osp.join(small_root, 'GT'))) == ['000', '001', '002']
    for folder, side in (('GT', 64), ('BIx4', 16), ('BDx4', 16)):
        frame = cv2.imread(osp.join(small_root, folder, '002', '00000004.png'))
        assert frame.shape == (side, side, 3)
    with open(osp.join(small_root, 'meta_info_test_GT.txt')) as f:
        lines = f.read().splitlines()
    assert lines == [f'002/{t:08d}.png (64, 64, 3)' for t in range(5)]
    camera = load_camera(small_root, '002')
    assert camera['split'] == 'test' and camera['matrices'].shape == (5, 2, 3)


def test_build_is_deterministic(small_root, tmp_path):
    again = EmbeddedVSRBuilder(root=str(tmp_path / 'again'), **SMALL).build()
    compare = filecmp.dircmp(small_root, again)
    assert not compare.diff_files and not compare.left_only and not compare.right_only
    for clip in ('000', '002'):
        for folder in ('GT', 'BDx4'):
            _, mismatch, errors = filecmp.cmpfiles(
                osp.join(small_root, folder, clip), osp.join(again, folder, clip),
                [f'{t:08d}.png' for t in range(4)], shallow=False)
            assert not mismatch and not errors
    other = EmbeddedVSRBuilder(root=str(tmp_path / 'other'), seed=1, **SMALL).build()
    assert not np.array_equal(cv2.imread(osp.join(small_root, 'GT/000/00000000.png')),
                              cv2.imread(osp.join(other, 'GT/000/00000000.png')))


def test_train_and_held_out_photographs_are_disjoint(small_root):
    assert not set(TRAIN_PHOTOS) & set(TEST_PHOTOS)
    photos = {}
    for clip in ('000', '001', '002'):
        camera = load_camera(small_root, clip)
        photos.setdefault(camera['split'], set()).add(camera['photo'])
    assert photos['train'] <= set(TRAIN_PHOTOS) and photos['test'] <= set(TEST_PHOTOS)
    with pytest.raises(ValueError, match="share photographs \\['camera'\\]"):
        EmbeddedVSRBuilder(root='unused', photos=dict(train=['camera', 'moon'],
                                                      test=['camera']))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match='multiple of scale'):
        EmbeddedVSRBuilder(root='unused', gt_size=66)
    with pytest.raises(ValueError, match='at least 2 frames'):
        EmbeddedVSRBuilder(root='unused', num_frames=dict(train=1, test=5))
    with pytest.raises(ValueError, match="Unknown photograph 'eagle'"):
        EmbeddedVSRBuilder(root='unused', photos=dict(train=['eagle'], test=['camera']))


def test_basic_frames_dataset_and_pipeline_read_it(small_root):
    from mmagic.registry import DATASETS
    init_default_scope('mmagic')
    dataset = DATASETS.build(dict(
        type='BasicFramesDataset', data_root=small_root,
        data_prefix=dict(img='BIx4', gt='GT'), ann_file='meta_info_train_GT.txt', depth=1,
        num_input_frames=3,
        pipeline=[
            dict(type='GenerateSegmentIndices', interval_list=[1]),
            dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
            dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
            dict(type='SetValues', dictionary=dict(scale=4)),
            dict(type='PairedRandomCrop', gt_patch_size=32),
            dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
            dict(type='RandomTransposeHW', keys=['img', 'gt'], transpose_ratio=0.5),
            dict(type='TemporalReverse', keys=['img', 'gt'], reverse_ratio=0.5),
            dict(type='PackInputs')]))
    assert len(dataset) == 2
    sample = dataset[1]
    assert sample['inputs'].shape == (3, 3, 8, 8)
    assert sample['data_samples'].gt_img.shape == (3, 3, 32, 32)


def test_gaussian_kernel_is_matlab_fspecial():
    g = gaussian_kernel_1d(1.6)
    assert len(g) == 12  # ceil(3 * 1.6) * 2 + 2
    x = np.arange(-5.5, 6.0)
    expected = np.exp(-np.add.outer(x**2, x**2) / (2 * 1.6**2))
    np.testing.assert_allclose(np.outer(g, g), expected / expected.sum(), rtol=1e-12)


def ramp(size: int) -> np.ndarray:
    """An image whose value is its column index (0-based pixel centres)."""
    return np.repeat(np.arange(size, dtype=np.uint8)[None, :, None], size, 0).repeat(3, 2)


@pytest.mark.parametrize('degrade', [bi_degrade, bd_degrade])
def test_lr_pixels_sit_at_4i_plus_1_5(degrade):
    # Both kernels are symmetric, so a linear ramp keeps its value at the LR pixel's centre:
    # column i samples the GT at 4i + 1.5 (the offset lr_flow relies on), up to rounding.
    lr = degrade(ramp(64), 4).astype(float)
    interior = lr[4:-4, 2:-2, 0]
    expected = (4 * np.arange(2, 14) + 1.5)[None].repeat(8, 0)
    np.testing.assert_allclose(interior, expected, atol=0.5 + 1e-9)


def test_bd_sampling_and_replicate_padding():
    # MATLAB img(2:4:end-2): 32 samples for 128 and also for 130 pixels (0-based 1 ... 125).
    assert bd_degrade(np.zeros((128, 130), np.uint8)).shape == (32, 32)
    assert bd_degrade(np.zeros((130, 128, 3), np.uint8)).shape == (32, 32, 3)
    # Replicate padding: a constant image stays constant up to the border.
    np.testing.assert_array_equal(bd_degrade(np.full((32, 32), 200, np.uint8)), 200)
    # An impulse at GT (13, 13) reaches LR (3, 3) with the kernel's weight at offset
    # 13 - (4 * 3 + 1) = 0 taps before ... i.e. g[5 + 0] in each direction.
    impulse = np.zeros((32, 32))
    impulse[13, 13] = 1
    g = gaussian_kernel_1d(1.6)
    blurred = bd_degrade((impulse * 255).astype(np.uint8)).astype(float)
    assert blurred[3, 3] == np.round(255 * g[5] ** 2)


def test_flow_of_a_pure_translation():
    ref = np.array([[1.0, 0, 100], [0, 1.0, 50]])
    supp = np.array([[1.0, 0, 108], [0, 1.0, 46]])  # camera moved 8 right, 4 up (GT pixels)
    flow, valid = lr_flow(ref, supp, (8, 8))
    # The scene moves the other way in the supporting frame: -8/4, +4/4 LR pixels.
    np.testing.assert_allclose(flow[0], -2.0)
    np.testing.assert_allclose(flow[1], 1.0)
    assert not valid[:, :2].any() and valid[:-1, 2:].all() and not valid[-1].any()


def test_warping_with_the_true_flow_reproduces_the_reference(small_root):
    camera = load_camera(small_root, '002')['matrices']

    def frame(folder, t):
        path = osp.join(small_root, folder, '002', f'{t:08d}.png')
        return torch.from_numpy(cv2.imread(path).astype(np.float32)).permute(2, 0, 1)[None]

    for folder, scale in (('GT', 1), ('BIx4', 4)):
        ref, supp = frame(folder, 0), frame(folder, 4)
        flow, valid = lr_flow(camera[0], camera[4], ref.shape[-2:], scale)
        warped = flow_warp(supp, torch.from_numpy(flow).permute(1, 2, 0)[None])
        inner = torch.from_numpy(valid)
        inner[:2], inner[-2:], inner[:, :2], inner[:, -2:] = False, False, False, False
        error = (warped - ref).abs().mean(1)[0][inner].mean()
        unwarped = (supp - ref).abs().mean(1)[0][inner].mean()
        # Up to interpolation error of the (aliased) frames, far below the unaligned difference.
        assert error < 0.6 * unwarped, (folder, error, unwarped)
        assert np.abs(flow).max() > 0.2


def test_manifest_records_the_arguments(small_root):
    with open(osp.join(small_root, 'mmplug_manifest.json')) as f:
        manifest = json.load(f)
    assert manifest['builder'] == 'EmbeddedVSRBuilder'
    assert manifest['params']['gt_size'] == 64
    assert 'write_gt' not in manifest['params']  # manifests of datasets written before it


def test_fast_pans_reflect_at_the_photo_edges():
    photo_shape, gt_size = (300, 400), 64
    matrices = camera_path(200, photo_shape, gt_size, np.random.default_rng(3), speed=(10, 10),
                           zoom=(1.0, 1.0), max_rotation=0.0)
    # Window corners (GT pixel -> photo pixel) stay inside the photograph for all 200 frames,
    # although the straight path would cover 2,000 pixels.
    corners = np.array([[0, 0, 1], [gt_size - 1, 0, 1], [0, gt_size - 1, 1],
                        [gt_size - 1, gt_size - 1, 1]], float).T
    points = matrices @ corners  # (T, 2, 4)
    assert points.min() >= 0
    assert points[:, 0].max() <= photo_shape[1] - 1 and points[:, 1].max() <= photo_shape[0] - 1
    # The speed is kept (no sticking at an edge): every step moves ~10 px, up to the wobble.
    steps = np.linalg.norm(np.diff(matrices[:, :, 2], axis=0), axis=1)
    assert np.median(steps) > 9 and (steps > 4).mean() > 0.95
    # And it turns back: both signs of motion along each axis.
    velocity = np.diff(matrices[:, :, 2], axis=0)
    assert (velocity > 1).any(0).all() and (velocity < -1).any(0).all()


def test_lr_only_dataset(tmp_path):
    root = EmbeddedVSRBuilder(root=str(tmp_path / 'flow'), clips=dict(train=2),
                              num_frames=dict(train=3), gt_size=32, degradations=('BI', ),
                              write_gt=False).build()
    assert sorted(os.listdir(root)) == ['BIx4', 'camera', 'meta_info_train_GT.txt',
                                        'mmplug_manifest.json']
    with open(osp.join(root, 'mmplug_manifest.json')) as f:
        assert json.load(f)['params']['write_gt'] is False
