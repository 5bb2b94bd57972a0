"""The procedural humans: deterministic, held-out photographs, consistent samples and renders,
read back by the real pipeline."""
import filecmp
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch

from projects.phorhum.datasets import LoadScanRender, PackPhorhumInputs, ScanRenderDataset
from projects.phorhum.datasets import embedded_humans as E  # noqa: N812

ARGS = dict(subjects={'train': 2, 'val': 1}, image_size=24, num_surface=64, num_space=64)


@pytest.fixture(scope='module')
def root(tmp_path_factory):
    return E.ProceduralHumansBuilder(str(tmp_path_factory.mktemp('ph') / 'a'), **ARGS).build()


def files(root):
    return sorted(osp.relpath(osp.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def test_same_seed_same_bytes_other_seed_other_data(root, tmp_path):
    again = E.ProceduralHumansBuilder(str(tmp_path / 'b'), **ARGS).build()
    assert files(root) == files(again)
    same = [f for f in files(root) if f.endswith(('.png', '.json', '.txt'))]
    match, mismatch, errors = filecmp.cmpfiles(root, again, same, shallow=False)
    assert not mismatch and not errors
    first, second = (np.load(osp.join(r, 'SAMPLES/train_0000.npz')) for r in (root, again))
    for key in first.files:
        np.testing.assert_array_equal(first[key], second[key])
    other = E.ProceduralHumansBuilder(str(tmp_path / 'c'), seed=1, **ARGS).build()
    assert not filecmp.cmp(osp.join(root, 'RENDER/train_0000/0_0_00.png'),
                           osp.join(other, 'RENDER/train_0000/0_0_00.png'), shallow=False)


def test_held_out_photographs_are_disjoint():
    assert not set(E.TRAINING) & set(E.HELD_OUT)


def test_samples_agree_with_the_analytic_human():
    rng = np.random.default_rng(0)
    human = E.Human(rng, E._textures(E.TRAINING[:1]))
    surface = E.surface_samples(human, rng, 100)
    assert np.abs(human.sdf(surface)).max() < 1e-4
    assert np.abs(surface).max() < 1.0  # inside the normalised cube
    # The normal points outwards: a step along it leaves the body.
    assert (human.sdf(surface + 0.01 * human.normal(surface)) > 0).all()
    # Lambert + ambient: full light facing the light, ambient only facing away.
    light = dict(direction=[0.0, 0.0, 1.0], colour=[1.0, 1.0, 1.0], ambient=0.3)
    np.testing.assert_allclose(E.shade(np.array([[0, 0, 1.0], [0, 0, -1.0]]), light),
                               [[1.0] * 3, [0.3] * 3])


def test_pipeline_reads_the_layout_in_the_model_cube(root):
    dataset = ScanRenderDataset(root, 'train', pipeline=[
        LoadScanRender(num_surface=16, num_space=20), PackPhorhumInputs()])
    assert len(dataset) == 2
    item = dataset[0]
    assert item['inputs'].shape == (3, 24, 24) and item['inputs'].dtype == torch.uint8
    sample = item['data_samples']
    assert sample.surface_points.shape == (16, 3) and sample.space_inside.shape == (20,)
    assert sample.gt_albedo_back.shape == (3, 24, 24) and sample.gt_mask.shape == (1, 24, 24)
    # World metres back in the cube: the points lie inside [-1, 1]^3.
    assert sample.surface_points.abs().max() < 1.0
    # The front silhouette is where the albedo render is non-black.
    lit = sample.gt_albedo.sum(0) > 0
    assert torch.equal(lit, sample.gt_mask[0] > 0.5)
    with open(osp.join(root, 'PARAM/train_0000/0_0_00.json')) as f:
        assert json.load(f)['projection'] == 'orthographic'


def test_missing_files_are_named(tmp_path, root):
    with pytest.raises(FileNotFoundError, match='train.txt'):
        ScanRenderDataset(str(tmp_path), 'train')
    results = dict(data_root=root, subject='nobody')
    with pytest.raises(FileNotFoundError, match='nobody'):
        LoadScanRender()(results)
