"""Toy scenes: textured spheres, boxes and cylinders on a textured ground plane, ray-cast.

Each scene is rendered by exact ray casting in numpy from a pinhole camera above a ground
plane, so every pixel's class, depth and surface normal are exact:

- segmentation, 4 classes: 0 ground, 1 sphere, 2 box, 3 cylinder; rays that hit nothing (the
  sky above the horizon) are -1, the official "unlabelled" marker;
- depth: the camera-frame z of the hit point (as Kinect depth), 0 on the sky;
- normals: unit surface normals in the camera frame, 0 on the sky.

Every surface, ground included, carries a crop of a real greyscale photograph from
``skimage.data`` mapped in world coordinates (so it foreshortens with depth) and tinted with a
random colour, then Lambert-shaded under a random sun. Neither colour nor texture tells the
class: the shape and the shading do, which is what the three tasks share. The held-out scenes
(``val``) use photographs that no training scene uses.

On disk it is the official pre-processed NYUv2 format (lorenmt/mtan
``im2im_pred/create_dataset.py``)::

    ROOT/{train,val}/image/{i}.npy    # (H, W, 3) float32 in [0, 1]
    ROOT/{train,val}/label/{i}.npy    # (H, W) float32 class, -1 = sky
    ROOT/{train,val}/depth/{i}.npy    # (H, W, 1) float32, 0 = sky
    ROOT/{train,val}/normal/{i}.npy   # (H, W, 3) float32, 0 = sky
    ROOT/mmplug_manifest.json
"""
from __future__ import annotations

import os
import os.path as osp

import numpy as np

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder

FOLDERS = ('image', 'label', 'depth', 'normal')
CLASSES = ('ground', 'sphere', 'box', 'cylinder')
# Photographs of the held-out scenes; the training scenes use the others.
HELD_OUT = ('gravel', 'page', 'clock')
TRAINING = ('grass', 'brick', 'camera', 'coins', 'moon')


def _textures(names: tuple[str, ...]) -> list[np.ndarray]:
    """Greyscale photographs of ``skimage.data`` as float arrays in [0, 1]."""
    from skimage import data
    from skimage.color import rgb2gray
    out = []
    for name in names:
        image = getattr(data, name)()
        if image.ndim == 3:
            image = rgb2gray(image[..., :3]) * 255
        out.append(np.asarray(image, dtype=np.float32) / 255)
    return out


def camera_rays(size: tuple[int, int], fov: float, pitch: float) -> tuple[np.ndarray, ...]:
    """Unit ray directions (H*W, 3) in the world and the camera's axes (right, up, forward).

    The camera looks along +z, tilted down by ``pitch`` radians; world y is up.
    """
    h, w = size
    forward = np.array([0.0, -np.sin(pitch), np.cos(pitch)])
    up = np.array([0.0, np.cos(pitch), np.sin(pitch)])
    right = np.array([1.0, 0.0, 0.0])
    focal = 0.5 * w / np.tan(fov / 2)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    x = (xs + 0.5 - w / 2) / focal
    y = -(ys + 0.5 - h / 2) / focal
    rays = x.reshape(-1, 1) * right + y.reshape(-1, 1) * up + forward
    rays /= np.linalg.norm(rays, axis=1, keepdims=True)
    return rays, right, up, forward


def hit_sphere(origin, rays, center, radius):
    """Distance along each ray to a sphere (inf if missed) and the normals there."""
    oc = origin - center
    b = rays @ oc
    c = oc @ oc - radius ** 2
    disc = b ** 2 - c
    t = np.where(disc >= 0, -b - np.sqrt(np.maximum(disc, 0)), np.inf)
    t = np.where(t > 1e-6, t, np.inf)
    with np.errstate(invalid='ignore'):  # missed rays: inf * 0, never used
        normals = (origin + t[:, None] * rays - center) / radius
    return t, normals


def hit_box(origin, rays, lo, hi):
    """Distance to an axis-aligned box (slab method) and the normals of the faces hit."""
    with np.errstate(divide='ignore', invalid='ignore'):
        t1 = (lo - origin) / rays
        t2 = (hi - origin) / rays
    near = np.minimum(t1, t2)
    far = np.maximum(t1, t2)
    t_near = np.nanmax(near, axis=1)
    t_far = np.nanmin(far, axis=1)
    hit = (t_near <= t_far) & (t_near > 1e-6)
    t = np.where(hit, t_near, np.inf)
    axis = np.nanargmax(near, axis=1)
    normals = np.zeros_like(rays)
    normals[np.arange(len(rays)), axis] = -np.sign(rays[np.arange(len(rays)), axis])
    return t, normals


def hit_cylinder(origin, rays, base, radius, height):
    """Distance to a vertical capped cylinder standing on ``base`` and the normals there."""
    o = origin - base
    a = rays[:, 0] ** 2 + rays[:, 2] ** 2
    b = 2 * (o[0] * rays[:, 0] + o[2] * rays[:, 2])
    c = o[0] ** 2 + o[2] ** 2 - radius ** 2
    disc = b ** 2 - 4 * a * c
    with np.errstate(divide='ignore', invalid='ignore'):
        t_side = (-b - np.sqrt(np.maximum(disc, 0))) / (2 * a)
    y_side = o[1] + t_side * rays[:, 1]
    t_side = np.where((disc >= 0) & (t_side > 1e-6) & (y_side >= 0) & (y_side <= height),
                      t_side, np.inf)
    with np.errstate(divide='ignore', invalid='ignore'):
        t_cap = (height - o[1]) / rays[:, 1]
        px, pz = o[0] + t_cap * rays[:, 0], o[2] + t_cap * rays[:, 2]
    t_cap = np.where((t_cap > 1e-6) & (px ** 2 + pz ** 2 <= radius ** 2), t_cap, np.inf)
    t = np.minimum(t_side, t_cap)
    with np.errstate(invalid='ignore'):
        p = o + t[:, None] * rays
    side = np.stack([p[:, 0], np.zeros(len(rays)), p[:, 2]], axis=1) / radius
    cap = np.tile([0.0, 1.0, 0.0], (len(rays), 1))
    normals = np.where((t_side <= t_cap)[:, None], side, cap)
    return t, normals


@EMBEDDED_DATA.register_module()
class ToyScenesBuilder(EmbeddedDatasetBuilder):
    """Writes the toy-scene dataset (see the module docstring).

    Args:
        root (str): Output folder.
        seed (int): Generator seed. Defaults to 0.
        scenes (dict[str, int] | None): Scenes per split. Defaults to
            ``{'train': 160, 'val': 64}``.
        size (Sequence[int]): Image (H, W); both divisible by 32 (SegNet). Defaults to
            ``(64, 64)``.
        objects (Sequence[int]): Least and most objects per scene. Defaults to ``(3, 5)``.
    """

    name = 'toy_scenes'
    version = 2
    smallest_args = dict(scenes=dict(train=4, val=4))

    def __init__(self, root: str, seed: int = 0, scenes: dict[str, int] | None = None,
                 size=(64, 64), objects=(3, 5)) -> None:
        super().__init__(root, seed)
        self.scenes = dict(scenes or {'train': 160, 'val': 64})
        self.size = [int(s) for s in size]
        self.objects = [int(o) for o in objects]
        if self.size[0] % 32 or self.size[1] % 32:
            raise ValueError(f'ToyScenesBuilder: size={size} must be divisible by 32.')

    def write(self, root: str, rng: np.random.Generator) -> None:
        textures = dict(train=_textures(TRAINING), val=_textures(HELD_OUT))
        for split, count in self.scenes.items():
            folders = {k: osp.join(root, split, k) for k in FOLDERS}
            for folder in folders.values():
                os.makedirs(folder)
            for i in range(count):
                scene = self.render(textures['train' if split == 'train' else 'val'], rng)
                for key, array in zip(FOLDERS, scene, strict=True):
                    np.save(osp.join(folders[key], f'{i}.npy'), array)

    def render(self, textures: list[np.ndarray],
               rng: np.random.Generator) -> tuple[np.ndarray, ...]:
        """One scene: image (H, W, 3), label (H, W), depth (H, W, 1), normal (H, W, 3)."""
        h, w = self.size
        pitch = rng.uniform(0.25, 0.45)
        origin = np.array([0.0, rng.uniform(1.8, 2.6), 0.0])
        rays, right, up, forward = camera_rays((h, w), np.radians(60), pitch)
        n = len(rays)
        t = np.full(n, np.inf)
        label = np.full(n, -1, dtype=np.int64)
        normals = np.zeros((n, 3))
        surface = np.full(n, -1)
        with np.errstate(divide='ignore', invalid='ignore'):
            t_ground = -origin[1] / rays[:, 1]
        t_ground = np.where((t_ground > 0) & (t_ground < 40), t_ground, np.inf)
        hits = [(t_ground, np.tile([0.0, 1.0, 0.0], (n, 1)), 0)]
        for _ in range(rng.integers(self.objects[0], self.objects[1] + 1)):
            kind = int(rng.integers(1, 4))
            x, z = rng.uniform(-2.0, 2.0), rng.uniform(2.5, 5.5)
            if kind == 1:
                r = rng.uniform(0.45, 0.9)
                t_obj, n_obj = hit_sphere(origin, rays, np.array([x, r, z]), r)
            elif kind == 2:
                half = rng.uniform(0.35, 0.8, size=3)
                center = np.array([x, half[1], z])
                t_obj, n_obj = hit_box(origin, rays, center - half, center + half)
            else:
                r, height = rng.uniform(0.3, 0.6), rng.uniform(0.8, 2.0)
                t_obj, n_obj = hit_cylinder(origin, rays, np.array([x, 0.0, z]), r, height)
            hits.append((t_obj, n_obj, kind))
        for index, (t_obj, n_obj, kind) in enumerate(hits):
            closer = t_obj < t
            t[closer], normals[closer], label[closer] = t_obj[closer], n_obj[closer], kind
            surface[closer] = index
        valid = np.isfinite(t)
        points = origin + np.where(valid, t, 0)[:, None] * rays
        image = np.empty((n, 3))
        sky = rng.uniform(0.5, 1.0, size=3)
        image[:] = sky * np.linspace(1.0, 0.7, h).repeat(w)[:, None]
        sun = np.array([rng.uniform(-1, 1), rng.uniform(0.8, 1.5), rng.uniform(-1, 0.2)])
        sun /= np.linalg.norm(sun)
        shade = 0.35 + 0.65 * np.clip(normals @ sun, 0, None)
        for index in np.unique(surface[surface >= 0]):
            sel = surface == index
            tex = textures[rng.integers(len(textures))]
            scale = rng.uniform(20, 40)
            # World-space mapping: the ground by (x, z), objects by (x + z, y).
            p = points[sel]
            u = (p[:, 0] if index == 0 else p[:, 0] + p[:, 2]) * scale + rng.uniform(0, 1e3)
            v = (p[:, 2] if index == 0 else p[:, 1]) * scale + rng.uniform(0, 1e3)
            albedo = tex[v.astype(np.int64) % tex.shape[0], u.astype(np.int64) % tex.shape[1]]
            tint = rng.uniform(0.3, 1.0, size=3)
            image[sel] = (0.25 + 0.75 * albedo)[:, None] * tint * shade[sel, None]
        depth = np.where(valid, t * (rays @ forward), 0)
        cam_normals = np.stack([normals @ right, normals @ up, normals @ forward], axis=1)
        cam_normals[~valid] = 0
        return (np.clip(image, 0, 1).reshape(h, w, 3).astype(np.float32),
                label.reshape(h, w).astype(np.float32),
                depth.reshape(h, w, 1).astype(np.float32),
                cam_normals.reshape(h, w, 3).astype(np.float32))

