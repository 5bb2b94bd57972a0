"""Converter stub: THuman2.0 scans -> the scan-render layout's samples and cameras.

Reads the public THuman2.0 release layout (Yu et al., CVPR 2021; github.com/ytrock/THuman2.0-
Dataset)::

    THuman2.0_Release/{0000..0525}/{0000..0525}.obj   # textured mesh, metres, y up
    THuman2.0_Release/{id}/material0.jpeg              # its texture (albedo-like)

and writes, for each scan, what ``ScanRenderDataset`` reads besides the images
(``projects/phorhum/datasets/scan_dataset.py``): ``SAMPLES/{id}.npz`` (surface points,
normals and texture colour; space points and their inside label) and
``PARAM/{id}/0_0_00.json`` (orthographic camera normalising the scan into the unit cube).

What it does not do (hence a stub): render ``RENDER/``, ``MASK/``, ``ALBEDO/`` and
``SHADED/`` views; that needs a rasteriser with textures and environment lighting, e.g. PIFu's
``apps/render_data.py`` (shunsukesaito/PIFu) run with the camera written here. It also leaves
``surface_shaded`` equal to the albedo (unlit) until those renders exist.

Usage::

    python projects/phorhum/tools/data/convert_thuman2.py THuman2.0_Release \\
        data/thuman2_phorhum --num-surface 20000 --num-space 20000
"""
from __future__ import annotations

import argparse
import json
import os
import os.path as osp

import numpy as np


def inside_by_nearest_normal(mesh, points: np.ndarray, rng: np.random.Generator,
                             density: int = 200000) -> np.ndarray:
    """Inside labels: the point lies behind the nearest of ``density`` surface samples
    (trimesh's exact ``contains`` needs rtree, which is not a pinned requirement)."""
    import trimesh
    from scipy.spatial import cKDTree
    dense, faces = trimesh.sample.sample_surface(mesh, density,
                                                 seed=int(rng.integers(1 << 31)))
    _, nearest = cKDTree(dense).query(points)
    return ((points - dense[nearest]) * mesh.face_normals[faces][nearest]).sum(1) < 0


def convert_scan(obj_path: str, out_root: str, name: str, num_surface: int, num_space: int,
                 rng: np.random.Generator) -> None:
    """Writes the samples and the camera of one textured scan."""
    import trimesh
    mesh = trimesh.load(obj_path, process=False, force='mesh')
    lo, hi = mesh.bounds
    center = (lo + hi) / 2
    scale = 1.9 / float((hi - lo).max())  # the scan fills 95 % of the [-1, 1] cube
    points, faces = trimesh.sample.sample_surface(mesh, num_surface,
                                                  seed=int(rng.integers(1 << 31)))
    normals = mesh.face_normals[faces]
    # A textured scan's UV texture sampled at the vertices (a mesh with vertex colours as is).
    visual = mesh.visual.to_color() if hasattr(mesh.visual, 'to_color') else mesh.visual
    colours = visual.vertex_colors[mesh.faces[faces], :3].mean(1) / 255
    space = np.concatenate([
        center + (rng.uniform(-1, 1, (num_space // 2, 3)) / scale),
        points[rng.integers(len(points), size=num_space - num_space // 2)]
        + rng.normal(0, 0.05 / scale, (num_space - num_space // 2, 3))])
    inside = inside_by_nearest_normal(mesh, space, rng)
    os.makedirs(osp.join(out_root, 'SAMPLES'), exist_ok=True)
    np.savez_compressed(
        osp.join(out_root, 'SAMPLES', f'{name}.npz'),
        surface_points=points.astype(np.float32), surface_normals=normals.astype(np.float32),
        surface_albedo=colours.astype(np.float32), surface_shaded=colours.astype(np.float32),
        space_points=space.astype(np.float32), space_inside=inside.astype(np.uint8))
    os.makedirs(osp.join(out_root, 'PARAM', name), exist_ok=True)
    with open(osp.join(out_root, 'PARAM', name, '0_0_00.json'), 'w') as f:
        json.dump(dict(projection='orthographic', center=center.tolist(), scale=scale, yaw=0),
                  f, indent=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='THuman2.0_Release folder')
    parser.add_argument('out', help='output root (the scan-render layout)')
    parser.add_argument('--num-surface', type=int, default=20000)
    parser.add_argument('--num-space', type=int, default=20000)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    if not osp.isdir(args.src):
        raise FileNotFoundError(f'{args.src!r} is not a folder: give THuman2.0_Release')
    rng = np.random.default_rng(args.seed)
    for name in sorted(os.listdir(args.src)):
        obj = osp.join(args.src, name, f'{name}.obj')
        if osp.isfile(obj):
            convert_scan(obj, args.out, name, args.num_surface, args.num_space, rng)
            print(name)


if __name__ == '__main__':
    main()
