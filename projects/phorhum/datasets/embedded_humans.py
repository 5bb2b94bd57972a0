"""Procedural clothed humans: articulated capsules and ellipsoids joined by a smooth union.

Each subject is an analytic signed distance field: an ellipsoidal head, a torso, and upper and
lower arms and legs (capsules) posed with random joint angles and proportions, joined by a
polynomial smooth minimum. Its albedo has three regions: a shirt (torso and upper arms, plus
forearms for long sleeves), trousers (legs) and skin (head, forearms of short sleeves); the
shirt and trousers carry a crop of a greyscale photograph from ``skimage.data`` projected along
the view axis and tinted with a random colour. The held-out subjects (``val``) use photographs
that no training subject uses.

Rendering is the project's own: orthographic sphere tracing of the analytic SDF (the camera of
``projects/phorhum/models/rendering.py``), Lambertian shading with an ambient term under a
random directional light of random colour, front (input) and back views. The input image is
the shaded render over a random grey background. Per-point samples: surface points (random
points projected onto the zero level set) with normals, albedo and shaded colour; space points
(uniform in the cube and Gaussian around the surface) with their inside label.

Written in the scan-render layout read by :class:`~.scan_dataset.ScanRenderDataset` (see
that module), with world coordinates in metres (height about 1.7 m).
"""
from __future__ import annotations

import json
import os
import os.path as osp

import numpy as np

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder

TRAINING = ('brick', 'grass', 'camera', 'coins', 'moon')
HELD_OUT = ('gravel', 'page', 'clock')
# World = cube / SCALE + CENTER (metres).
CENTER = (0.0, 0.9, 0.0)
SCALE = 1 / 0.9
DISTANCE = 1.5


def _textures(names: tuple[str, ...]) -> list[np.ndarray]:
    from skimage import data
    return [np.asarray(getattr(data, n)(), np.float32) / 255 for n in names]


def _capsule(p: np.ndarray, a: np.ndarray, b: np.ndarray, r: float) -> np.ndarray:
    ab = b - a
    h = np.clip(((p - a) @ ab) / (ab @ ab), 0, 1)
    return np.linalg.norm(p - a - h[..., None] * ab, axis=-1) - r


def _ellipsoid(p: np.ndarray, c: np.ndarray, radii: np.ndarray) -> np.ndarray:
    # The bound of Inigo Quilez: exact on the surface, a good distance estimate near it.
    q = (p - c) / radii
    k0 = np.linalg.norm(q, axis=-1)
    k1 = np.linalg.norm(q / radii, axis=-1)
    return k0 * (k0 - 1) / np.maximum(k1, 1e-9)


def _smin(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0, 1)
    return b * (1 - h) + a * h - k * h * (1 - h)


class Human:
    """One procedural subject: its SDF, part labels and albedo in the normalised cube."""

    def __init__(self, rng: np.random.Generator, textures: list[np.ndarray]) -> None:
        u = rng.uniform
        self.torso_r = u(0.13, 0.19)
        self.torso_depth = u(0.6, 0.8)
        self.pelvis = np.array([0.0, u(-0.1, 0.0), 0.0])
        self.neck = np.array([0.0, u(0.42, 0.5), 0.0])
        self.head_c = self.neck + [0.0, u(0.14, 0.17), u(-0.02, 0.02)]
        self.head_r = np.array([u(0.09, 0.11), u(0.11, 0.14), u(0.1, 0.12)])
        self.limbs = []  # (a, b, radius, region): 0 shirt, 1 trousers, 2 skin
        long_sleeves = u() < 0.5
        for side in (-1, 1):
            shoulder = self.neck + [side * u(0.17, 0.22), -0.04, 0.0]
            abduction, swing = u(0.15, 1.2), u(-0.5, 0.5)
            elbow = shoulder + u(0.24, 0.3) * np.array(
                [side * np.sin(abduction), -np.cos(abduction) * np.cos(swing),
                 np.cos(abduction) * np.sin(swing)])
            bend = u(0.0, 1.2)
            direction = (elbow - shoulder) / np.linalg.norm(elbow - shoulder)
            forward = np.array([0.0, 0.0, 1.0])
            forearm_dir = np.cos(bend) * direction + np.sin(bend) * forward
            wrist = elbow + u(0.22, 0.28) * forearm_dir / np.linalg.norm(forearm_dir)
            arm_r = u(0.045, 0.06)
            self.limbs += [(shoulder, elbow, arm_r, 0),
                           (elbow, wrist, arm_r * 0.85, 0 if long_sleeves else 2)]
            hip = self.pelvis + [side * u(0.07, 0.1), -0.04, 0.0]
            spread, swing = u(0.0, 0.3), u(-0.4, 0.4)
            knee = hip + u(0.36, 0.42) * np.array(
                [side * np.sin(spread), -np.cos(spread) * np.cos(swing),
                 np.cos(spread) * np.sin(swing)])
            knee_bend = u(0.0, 0.6)
            shin = np.array([0.0, -np.cos(knee_bend), -np.sin(knee_bend)])
            ankle = knee + u(0.36, 0.4) * shin
            leg_r = u(0.065, 0.09)
            self.limbs += [(hip, knee, leg_r, 1), (knee, ankle, leg_r * 0.8, 1)]
        self.tints = [rng.uniform(0.15, 0.95, 3), rng.uniform(0.1, 0.8, 3),
                      np.array([u(0.75, 0.95), u(0.55, 0.75), u(0.45, 0.6)])]
        self.crops = []
        for _ in range(2):
            tex = textures[rng.integers(len(textures))]
            side = int(rng.integers(64, min(tex.shape[:2]) // 2))
            y, x = rng.integers(0, tex.shape[0] - side), rng.integers(0, tex.shape[1] - side)
            crop = tex[y:y + side, x:x + side]
            self.crops.append(crop if crop.ndim == 2 else crop.mean(-1))
        self.blend = 0.04

    def parts(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(N, K) distances to each part and (K,) region of each part."""
        q = p.copy()
        q[..., 2] = q[..., 2] / self.torso_depth
        torso = _capsule(q, self.pelvis, self.neck, self.torso_r) * self.torso_depth
        dists = [torso, _ellipsoid(p, self.head_c, self.head_r)]
        regions = [0, 2]
        for a, b, r, region in self.limbs:
            dists.append(_capsule(p, a, b, r))
            regions.append(region)
        return np.stack(dists, -1), np.array(regions)

    def sdf(self, p: np.ndarray) -> np.ndarray:
        dists, _ = self.parts(p)
        d = dists[..., 0]
        for k in range(1, dists.shape[-1]):
            d = _smin(d, dists[..., k], self.blend)
        return d

    def normal(self, p: np.ndarray, h: float = 1e-4) -> np.ndarray:
        grad = np.stack([self.sdf(p + e) - self.sdf(p - e) for e in np.eye(3) * h], -1)
        return grad / np.maximum(np.linalg.norm(grad, axis=-1, keepdims=True), 1e-12)

    def albedo(self, p: np.ndarray) -> np.ndarray:
        dists, regions = self.parts(p)
        region = regions[dists.argmin(-1)]
        out = np.empty(p.shape[:-1] + (3,), np.float32)
        for r in range(3):
            sel = region == r
            colour = np.broadcast_to(self.tints[r], (int(sel.sum()), 3))
            if r < 2:
                crop = self.crops[r]
                # The photograph projected along z (the same pattern front and back).
                iy = np.clip(((1 - p[sel, 1]) / 2 * (crop.shape[0] - 1)).astype(int), 0,
                             crop.shape[0] - 1)
                ix = np.clip(((p[sel, 0] + 1) / 2 * (crop.shape[1] - 1)).astype(int), 0,
                             crop.shape[1] - 1)
                colour = colour * (0.5 + 0.5 * crop[iy, ix])[:, None]
            out[sel] = colour
        return out


def shade(normals: np.ndarray, light: dict) -> np.ndarray:
    """Lambertian + ambient shading (N, 3) under a directional light of some colour."""
    lambert = np.clip(normals @ np.asarray(light['direction']), 0, None)[..., None]
    ambient = light['ambient']
    return (ambient + (1 - ambient) * lambert) * np.asarray(light['colour'])


def trace(human: Human, size: int, view: str) -> tuple[np.ndarray, np.ndarray]:
    """Hit points (H*W, 3) and hit mask of the orthographic view (numpy sphere tracing)."""
    v, u = np.meshgrid((np.arange(size) + 0.5) / size * 2 - 1,
                       (np.arange(size) + 0.5) / size * 2 - 1, indexing='ij')
    sign = 1.0 if view == 'front' else -1.0
    origins = np.stack([sign * u.ravel(), -v.ravel(), np.full(u.size, sign * DISTANCE)], -1)
    dirs = np.array([0.0, 0.0, -sign])
    t = np.full(u.size, DISTANCE - 1.0)
    for _ in range(96):
        d = human.sdf(origins + t[:, None] * dirs)
        t = t + np.where(t < DISTANCE + 1.0, np.maximum(d, 0), 0)
    points = origins + t[:, None] * dirs
    hit = np.abs(human.sdf(points)) < 2e-3
    return points, hit


def surface_samples(human: Human, rng: np.random.Generator, num: int) -> np.ndarray:
    """``num`` points on the zero level set: random points near it projected onto it."""
    out = []
    while sum(len(o) for o in out) < num:
        p = rng.uniform(-1, 1, (num * 8, 3))
        p = p[np.abs(human.sdf(p)) < 0.1]
        for _ in range(6):
            p = p - human.sdf(p)[:, None] * human.normal(p)
        out.append(p[np.abs(human.sdf(p)) < 1e-4])
    return np.concatenate(out)[:num]


@EMBEDDED_DATA.register_module()
class ProceduralHumansBuilder(EmbeddedDatasetBuilder):
    """Writes procedural clothed humans in the scan-render layout (see the module doc).

    Args:
        root (str): Output folder.
        subjects (dict): Subjects per split. Defaults to ``{'train': 64, 'val': 16}``.
        image_size (int): Side of the square renders. Defaults to 64.
        num_surface (int): Surface samples per subject. Defaults to 2048.
        num_space (int): Space samples per subject. Defaults to 2048.
        seed (int): Seed of the generator. Defaults to 0.
    """

    name = 'procedural_humans'
    version = 1
    smallest_args = dict(subjects={'train': 4, 'val': 2}, image_size=32, num_surface=256,
                         num_space=256)

    def __init__(self, root: str, subjects: dict | None = None, image_size: int = 64,
                 num_surface: int = 2048, num_space: int = 2048, seed: int = 0) -> None:
        super().__init__(root, seed)
        self.subjects = dict(subjects or {'train': 64, 'val': 16})
        self.image_size = image_size
        self.num_surface = num_surface
        self.num_space = num_space

    def write(self, root: str, rng: np.random.Generator) -> None:
        for split, count in self.subjects.items():
            textures = _textures(HELD_OUT if split == 'val' else TRAINING)
            names = [f'{split}_{i:04d}' for i in range(count)]
            for name in names:
                self.write_subject(root, name, Human(rng, textures), rng)
            with open(osp.join(root, f'{split}.txt'), 'w') as f:
                f.write('\n'.join(names) + '\n')

    def write_subject(self, root: str, name: str, human: Human,
                      rng: np.random.Generator) -> None:
        import cv2
        direction = np.array([rng.uniform(-0.8, 0.8), rng.uniform(0.0, 0.8),
                              rng.uniform(0.4, 1.0)])
        light = dict(direction=(direction / np.linalg.norm(direction)).tolist(),
                     colour=rng.uniform(0.8, 1.2, 3).tolist(),
                     ambient=float(rng.uniform(0.25, 0.45)))
        background = rng.uniform(0.3, 0.7)
        size = self.image_size

        def save(folder: str, view: str, image: np.ndarray) -> None:
            os.makedirs(osp.join(root, folder, name), exist_ok=True)
            image = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
            if image.ndim == 3:
                image = image[..., ::-1]
            cv2.imwrite(osp.join(root, folder, name, f'{view}.png'), image)

        for view, stem in (('front', '0_0_00'), ('back', '180_0_00')):
            points, hit = trace(human, size, view)
            albedo = np.zeros((size * size, 3), np.float32)
            albedo[hit] = human.albedo(points[hit])
            shaded = np.zeros_like(albedo)
            shaded[hit] = albedo[hit] * shade(human.normal(points[hit]), light)
            save('ALBEDO', stem, albedo.reshape(size, size, 3))
            save('SHADED', stem, shaded.reshape(size, size, 3))
            save('MASK', stem, hit.reshape(size, size).astype(np.float32))
            if view == 'front':
                image = np.where(hit[:, None], shaded, background)
                save('RENDER', stem, image.reshape(size, size, 3))
        os.makedirs(osp.join(root, 'PARAM', name), exist_ok=True)
        with open(osp.join(root, 'PARAM', name, '0_0_00.json'), 'w') as f:
            json.dump(dict(projection='orthographic', center=list(CENTER), scale=SCALE,
                           yaw=0, distance=DISTANCE, light=light), f, indent=1)
        surface = surface_samples(human, rng, self.num_surface)
        normals = human.normal(surface)
        albedo = human.albedo(surface)
        half = self.num_space // 2
        space = np.concatenate([
            rng.uniform(-1, 1, (self.num_space - half, 3)),
            surface[rng.integers(len(surface), size=half)] + rng.normal(0, 0.05, (half, 3))])
        os.makedirs(osp.join(root, 'SAMPLES'), exist_ok=True)
        to_world = np.float32(1 / SCALE)
        np.savez_compressed(
            osp.join(root, 'SAMPLES', f'{name}.npz'),
            surface_points=(surface * to_world + CENTER).astype(np.float32),
            surface_normals=normals.astype(np.float32),
            surface_albedo=albedo.astype(np.float32),
            surface_shaded=np.clip(albedo * shade(normals, light), 0, 1).astype(np.float32),
            space_points=(space * to_world + CENTER).astype(np.float32),
            space_inside=(human.sdf(space) < 0).astype(np.uint8))
