"""The THuman2.0 converter stub on a hand-made scan folder: samples and camera that the
dataset's loader reads back into the unit cube."""
import json
import os

import numpy as np
import pytest

from tests.conftest import load_tool

tool = load_tool('projects/phorhum/tools/data/convert_thuman2.py')


def test_converter_writes_samples_and_camera(tmp_path):
    import trimesh
    src = tmp_path / 'THuman2.0_Release'
    os.makedirs(src / '0000')
    box = trimesh.creation.box(extents=(0.5, 1.7, 0.3))
    box.apply_translation((0.1, 0.85, 0.0))
    box.export(src / '0000' / '0000.obj')
    out = tmp_path / 'out'
    tool.main([str(src), str(out), '--num-surface', '200', '--num-space', '200'])
    samples = np.load(out / 'SAMPLES' / '0000.npz')
    with open(out / 'PARAM' / '0000' / '0_0_00.json') as f:
        camera = json.load(f)
    cube = (samples['surface_points'] - camera['center']) * camera['scale']
    assert np.abs(cube).max() == pytest.approx(0.95, abs=1e-4)
    inside = samples['space_inside'] > 0
    space = samples['space_points'] - [0.1, 0.85, 0.0]
    expected = (np.abs(space) < [0.25, 0.85, 0.15]).all(1)
    assert (inside == expected).mean() > 0.98 and inside.any()
    with pytest.raises(FileNotFoundError, match='THuman2.0_Release'):
        tool.main([str(tmp_path / 'nowhere'), str(out)])
