"""The benchmark's mesh metrics on analytic shapes and its report from hand-made runs."""
import numpy as np
import pytest

from tests.conftest import load_tool

benchmark = load_tool('projects/phorhum/tools/benchmark.py')
extract = load_tool('projects/phorhum/tools/extract_mesh.py')
CAMERA = dict(center=[0.0, 0.9, 0.0], scale=1 / 0.9)


def sphere_mesh(radius: float, resolution: int = 40) -> dict:
    points = extract.grid_points(resolution)
    volume = (points.norm(dim=-1) - radius).reshape((resolution,) * 3).numpy()
    verts, faces = extract.marching_cubes(volume)
    return dict(vertices=verts, faces=faces)


def sphere_samples(radius: float, flip: bool = False) -> dict:
    rng = np.random.default_rng(0)
    normals = rng.normal(size=(20000, 3))
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    world = normals * radius / CAMERA['scale'] + CAMERA['center']
    return dict(surface_points=world, surface_normals=-normals if flip else normals)


def test_mesh_metrics_of_a_sphere():
    good = benchmark.mesh_metrics(sphere_mesh(0.5), sphere_samples(0.5), CAMERA)
    assert good['chamfer_cm'] < 1.0 and good['normal_consistency'] > 0.99
    # A sphere 0.1 (cube units) too small: Chamfer of 0.1 * 0.9 m = 9 cm.
    small = benchmark.mesh_metrics(sphere_mesh(0.4), sphere_samples(0.5), CAMERA)
    assert small['chamfer_cm'] == pytest.approx(9.0, abs=1.0)
    flipped = benchmark.mesh_metrics(sphere_mesh(0.5), sphere_samples(0.5, True), CAMERA)
    assert flipped['normal_consistency'] < -0.99


def test_summary_flags_gaps_inside_the_spread():
    keys = (*benchmark.GEOMETRY, *benchmark.APPEARANCE)
    runs = []
    for seed in range(3):
        runs.append(dict(method='phorhum', seed=seed,
                         metrics={k: 1.0 + 0.1 * seed for k in keys}))
        far = {k: 5.0 + 0.1 * seed for k in keys}
        runs.append(dict(method='pifu', seed=seed, metrics=dict(far, iou=1.05 + 0.1 * seed)))
    numbers, text = benchmark.summarise(runs)
    assert numbers['phorhum']['iou']['mean'] == pytest.approx(1.1)
    assert numbers['phorhum']['iou']['sd'] == pytest.approx(0.1)
    iou_row = next(line for line in text.splitlines() if line.startswith('| iou'))
    chamfer_row = next(line for line in text.splitlines() if line.startswith('| chamfer'))
    assert 'inside spread' in iou_row and 'inside spread' not in chamfer_row
    assert "'pifu': 3" in text


