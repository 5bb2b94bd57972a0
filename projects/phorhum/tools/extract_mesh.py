"""Mesh extraction: query the SDF on a grid, marching cubes, vertex albedo and shaded colour.

Paper Sec. 3 (inference): the zero level set of f is meshed with Marching Cubes (scikit-image
here) and the colours are queried at the vertices: the albedo from f, the shaded colour from
the albedo and the shading network at the vertex normal. Writes ``.ply`` and ``.obj`` with
trimesh and, with ``--render``, front and back renders of the implicit surface.

Usage::

    python projects/phorhum/tools/extract_mesh.py CONFIG CHECKPOINT --out-dir DIR \\
        [--num 4] [--resolution 96] [--render]
"""
from __future__ import annotations

import argparse
import os
import os.path as osp
import sys

import numpy as np
import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..')))


def grid_points(resolution: int) -> torch.Tensor:
    """(R^3, 3) points of a regular grid over [-1, 1]^3, x fastest-varying last (ij order)."""
    axis = torch.linspace(-1, 1, resolution)
    return torch.stack(torch.meshgrid(axis, axis, axis, indexing='ij'), -1).reshape(-1, 3)


def marching_cubes(volume: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (in the [-1, 1]^3 cube) and faces of the zero level set of an (R, R, R) SDF
    sampled by :func:`grid_points`; faces are oriented outwards (SDF negative inside)."""
    from skimage.measure import marching_cubes as skimage_mc
    resolution = volume.shape[0]
    if not (volume.min() < 0 < volume.max()):
        raise ValueError('the SDF has no zero crossing on the grid: no surface to mesh')
    spacing = (2 / (resolution - 1),) * 3
    # skimage's default winding, for values that grow outwards (an SDF), faces outwards
    # (checked by the signed volume in the tests).
    verts, faces, _, _ = skimage_mc(volume, 0.0, spacing=spacing)
    return verts - 1.0, faces


@torch.no_grad()
def reconstruct(model, inputs: torch.Tensor, resolution: int = 96, chunk: int = 65536
                ) -> list[dict[str, np.ndarray]]:
    """Meshes of a batch of images: ``vertices``, ``faces``, ``albedo``, ``shaded`` (N, 3)."""
    feats, light = model.encode(inputs)
    points = grid_points(resolution).to(inputs.device)
    meshes = []
    for b in range(inputs.shape[0]):
        f = feats[b:b + 1]
        sdf = torch.cat([model.query(points[None, i:i + chunk], f)[0][0]
                         for i in range(0, len(points), chunk)])
        verts, faces = marching_cubes(sdf.reshape((resolution,) * 3).cpu().numpy())
        v = torch.from_numpy(verts).float().to(inputs.device)[None]
        albedo, shaded = [], []
        for i in range(0, v.shape[1], chunk):
            with torch.enable_grad():
                part = v[:, i:i + chunk].clone().requires_grad_(True)
                _, _, a, s = model.colours(part, f, None if light is None else light[b:b + 1],
                                           create_graph=False)
            albedo.append(a[0].detach())
            shaded.append(s[0].detach().clamp(0, 1))
        meshes.append(dict(vertices=verts, faces=faces, albedo=torch.cat(albedo).cpu().numpy(),
                           shaded=torch.cat(shaded).cpu().numpy()))
    return meshes


def export(mesh: dict[str, np.ndarray], stem: str) -> list[str]:
    """Writes ``{stem}_albedo.{ply,obj}`` and ``{stem}_shaded.{ply,obj}`` (vertex colours)."""
    import trimesh
    paths = []
    for key in ('albedo', 'shaded'):
        colours = np.round(np.clip(mesh[key], 0, 1) * 255).astype(np.uint8)
        out = trimesh.Trimesh(mesh['vertices'], mesh['faces'], vertex_colors=colours,
                              process=False)
        for ext in ('ply', 'obj'):
            path = f'{stem}_{key}.{ext}'
            out.export(path)
            paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--num', type=int, default=4, help='test subjects to reconstruct')
    parser.add_argument('--resolution', type=int, default=96)
    parser.add_argument('--render', action='store_true', help='also save front/back renders')
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner

    from projects.common.benchmark import load_model
    cfg = Config.fromfile(args.config)
    model = load_model(cfg, args.checkpoint)
    init_default_scope(cfg.default_scope)
    loader = Runner.build_dataloader(dict(cfg.test_dataloader, batch_size=1))
    os.makedirs(args.out_dir, exist_ok=True)
    written = []
    for i, batch in enumerate(loader):
        if i >= args.num:
            break
        data = model.data_preprocessor(batch, False)
        subject = data['data_samples'][0].subject
        mesh = reconstruct(model, data['inputs'], args.resolution)[0]
        written += export(mesh, osp.join(args.out_dir, subject))
        if args.render:
            import cv2
            with torch.no_grad():
                sample = model.predict(data['inputs'], None)[0]
            tiles = [sample.get(k) for k in ('pred_albedo', 'pred_shaded', 'pred_albedo_back',
                                             'pred_shaded_back')]
            image = torch.cat([data['inputs'][0]] + tiles, -1).permute(1, 2, 0).cpu().numpy()
            path = osp.join(args.out_dir, f'{subject}_renders.png')
            cv2.imwrite(path, np.round(image[..., ::-1] * 255).astype(np.uint8))
            written.append(path)
    print('\n'.join(written))
    return written


if __name__ == '__main__':
    main()
