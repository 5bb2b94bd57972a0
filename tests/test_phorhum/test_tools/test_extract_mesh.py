"""Marching cubes of analytic SDFs and the coloured mesh export."""
import numpy as np
import pytest
import torch

from tests.conftest import load_tool

tool = load_tool('projects/phorhum/tools/extract_mesh.py')


@pytest.mark.parametrize('radius', [0.3, 0.7])
def test_marching_cubes_of_a_sphere_has_its_radius_and_outward_faces(radius):
    points = tool.grid_points(48)
    center = torch.tensor([0.1, -0.1, 0.05])
    volume = ((points - center).norm(dim=-1) - radius).reshape(48, 48, 48).numpy()
    verts, faces = tool.marching_cubes(volume)
    distances = np.linalg.norm(verts - center.numpy(), axis=1)
    assert np.abs(distances - radius).max() < 2e-3
    import trimesh
    mesh = trimesh.Trimesh(verts, faces, process=False)
    # Outward faces: positive signed volume close to the ball's.
    assert mesh.volume == pytest.approx(4 / 3 * np.pi * radius ** 3, rel=0.03)


def test_grid_points_order_matches_marching_cubes_axes():
    # An SDF depending on x only: the mesh is the plane x = 0.2 (axis 0 is x).
    points = tool.grid_points(16)
    volume = (points[:, 0] - 0.2).reshape(16, 16, 16).numpy()
    verts, _ = tool.marching_cubes(volume)
    np.testing.assert_allclose(verts[:, 0], 0.2, atol=1e-5)
    with pytest.raises(ValueError, match='zero crossing'):
        tool.marching_cubes(np.ones((8, 8, 8)))


def test_reconstruct_and_export(tmp_path):
    from tests.test_phorhum.test_models.test_phorhum import tiny
    model = tiny().eval()
    mesh = tool.reconstruct(model, torch.rand(1, 3, 16, 16), resolution=24)[0]
    # f starts as the sphere of radius 0.5.
    assert np.abs(np.linalg.norm(mesh['vertices'], axis=1) - 0.5).max() < 0.05
    assert mesh['albedo'].shape == mesh['shaded'].shape == mesh['vertices'].shape
    paths = tool.export(mesh, str(tmp_path / 'subject'))
    assert len(paths) == 4
    import trimesh
    loaded = trimesh.load(paths[0], process=False)
    assert len(loaded.vertices) == len(mesh['vertices'])
    expected = np.round(np.clip(mesh['albedo'], 0, 1) * 255).astype(np.uint8)
    np.testing.assert_array_equal(loaded.visual.vertex_colors[:, :3], expected)
