"""The toy scenes: exact geometry, the official on-disk format, held-out textures."""
import numpy as np
import pytest
from mmengine.registry import DefaultScope

import projects.mtan  # noqa: F401
from projects.mtan.datasets import MultiTaskNpyDataset
from projects.mtan.datasets.embedded_scenes import (
    HELD_OUT,
    TRAINING,
    ToyScenesBuilder,
    camera_rays,
    hit_box,
    hit_cylinder,
    hit_sphere,
)

ORIGIN = np.zeros(3)


def test_ray_hits_are_exact():
    rays = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    t, normals = hit_sphere(ORIGIN, rays, np.array([0.0, 0.0, 5.0]), 1.0)
    assert t[0] == pytest.approx(4.0) and np.isinf(t[1])
    np.testing.assert_allclose(normals[0], [0, 0, -1])
    t, normals = hit_box(ORIGIN, rays, np.array([-1.0, -1.0, 3.0]), np.array([1.0, 1.0, 4.0]))
    assert t[0] == pytest.approx(3.0) and np.isinf(t[1])
    np.testing.assert_allclose(normals[0], [0, 0, -1])
    # A cylinder under the camera: the ray straight down hits its cap.
    down = np.array([[0.0, -1.0, 0.0]])
    t, normals = hit_cylinder(ORIGIN, down, np.array([0.0, -5.0, 0.0]), 0.5, 2.0)
    assert t[0] == pytest.approx(3.0)
    np.testing.assert_allclose(normals[0], [0, 1, 0])
    t, normals = hit_cylinder(ORIGIN, rays[:1], np.array([0.0, -1.0, 5.0]), 0.5, 2.0)
    assert t[0] == pytest.approx(4.5)
    np.testing.assert_allclose(normals[0], [0, 0, -1], atol=1e-12)


def test_camera_rays_are_unit_and_centred():
    rays, right, up, forward = camera_rays((32, 32), np.radians(60), 0.3)
    np.testing.assert_allclose(np.linalg.norm(rays, axis=1), 1)
    centre = rays.reshape(32, 32, 3)[15:17, 15:17].mean((0, 1))
    assert centre @ forward > 0.999


def test_scenes_are_exact_consistent_and_in_the_official_format(tmp_path):
    root = str(tmp_path / 'scenes')
    ToyScenesBuilder(root=root, scenes=dict(train=3, val=2)).build()
    builder = ToyScenesBuilder(root=str(tmp_path / 'again'), scenes=dict(train=3, val=2))
    builder.build()
    first, again = (np.load(f'{r}/train/depth/2.npy') for r in (root, builder.root))
    np.testing.assert_array_equal(first, again)  # deterministic
    with DefaultScope.overwrite_default_scope('mtan'):
        dataset = MultiTaskNpyDataset(
            data_root=root, split='val',
            pipeline=[dict(type='LoadMultiTaskNpy'), dict(type='PackMultiTaskInputs')])
    assert len(dataset) == 2
    item = dataset[0]
    sample = item['data_samples']
    assert item['inputs'].shape == (3, 64, 64)
    assert sample.gt_seg.shape == (64, 64) and sample.gt_depth.shape == (1, 64, 64)
    sky = sample.gt_seg == -1
    assert sky.any() and (sample.gt_seg >= 0).any()
    # One invalid marker for all three tasks: sky pixels have no depth and no normal.
    assert (sample.gt_depth[0][sky] == 0).all() and (sample.gt_depth[0][~sky] > 0).all()
    norms = sample.gt_normal.norm(dim=0)
    assert (norms[sky] == 0).all()
    np.testing.assert_allclose(norms[~sky].numpy(), 1, atol=1e-5)
    # The ground faces up: its camera-frame normal has no x component.
    ground = sample.gt_normal[:, sample.gt_seg == 0]
    np.testing.assert_allclose(ground[0].numpy(), 0, atol=1e-6)


def test_held_out_scenes_use_other_photographs():
    assert not set(HELD_OUT) & set(TRAINING)


def test_missing_data_names_the_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match='official pre-processed'):
        MultiTaskNpyDataset(data_root=str(tmp_path), split='train', pipeline=[])
