"""Air-drawn digit gestures: short image sequences of a hand tracing real handwriting.

Each sample is one handwritten digit from ``sklearn.datasets.load_digits`` (1,797 real
samples by 43 writers) turned into a pen trajectory: its ink pixels, ordered by a greedy
nearest-neighbour walk from the top-most one, are visited by a bright "hand" blob over
``num_frames`` frames, at a random scale and position, over a dim crop of a real texture
photograph from ``skimage.data``. Every frame shows the hand and a fading trail of the last
two frames' motion only, so the class is in the motion: no single frame shows the digit.
The digit samples of the splits are disjoint (held-out writers' strokes).

On disk it is mmpretrain's ``CustomDataset`` annotation-file layout; the frames of a
sequence are tiled left to right into one greyscale PNG that :class:`FramesToChannels`
stacks back into channels::

    ROOT/{split}/{index:05d}.png     # size x (size * num_frames), uint8
    ROOT/meta/{split}.txt            # "split/00000.png LABEL" per line
    ROOT/mmplug_manifest.json
"""
from __future__ import annotations

import os
import os.path as osp

import cv2
import numpy as np

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder
from projects.common.datasets.moving_digits import load_digit_images, load_textures, split_indices


def digit_trajectory(digit: np.ndarray, threshold: int = 96) -> np.ndarray:
    """Ink pixels (K, 2) of an 8x8 uint8 digit as (row, col), in the order a greedy
    nearest-neighbour walk from the top-most (then left-most) ink pixel visits them."""
    points = np.argwhere(digit >= threshold).astype(np.float64)
    order = [int(np.lexsort((points[:, 1], points[:, 0]))[0])]
    left = set(range(len(points))) - set(order)
    while left:
        rest = np.array(sorted(left))
        nearest = rest[np.argmin(((points[rest] - points[order[-1]])**2).sum(1))]
        order.append(int(nearest))
        left.remove(int(nearest))
    return points[order]


@EMBEDDED_DATA.register_module()
class GestureBuilder(EmbeddedDatasetBuilder):
    """Writes the air-drawn digit gestures (see the module docstring).

    Args:
        root (str): Folder the dataset is written to.
        seed (int): Seed of the generator. Defaults to 0.
        size (int): Side of each frame. Defaults to 32.
        num_frames (int): Frames per sequence. Defaults to 8.
        splits (dict[str, float]): Fractions of the 1,797 digits per split. Defaults to
            ``dict(train=0.6, val=0.15, test=0.25)``.
        limit (int, optional): Use only the first ``limit`` digits (small test datasets).
        background (float): Largest brightness of the texture background. Defaults to 0.4.
    """

    name = 'gestures'
    version = 2
    smallest_args = dict(limit=30)

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 size: int = 32,
                 num_frames: int = 8,
                 splits: dict[str, float] | None = None,
                 limit: int | None = None,
                 background: float = 0.4) -> None:
        super().__init__(root, seed)
        splits = dict(train=0.6, val=0.15, test=0.25) if splits is None else dict(splits)
        if not splits or any(frac <= 0 for frac in splits.values()):
            raise ValueError(f'`splits` needs positive fractions, got {splits}.')
        if size < 16 or num_frames < 2:
            raise ValueError(f'need size >= 16 and num_frames >= 2, got {size}, {num_frames}.')
        self.size = int(size)
        self.num_frames = int(num_frames)
        self.splits = splits
        self.limit = limit
        self.background = float(background)

    def write(self, root: str, rng: np.random.Generator) -> None:
        """Writes every split's sequences and annotation file under ``root``."""
        digits, labels = load_digit_images()
        if self.limit is not None:
            digits, labels = digits[:self.limit], labels[:self.limit]
        textures = load_textures()
        os.makedirs(osp.join(root, 'meta'))
        for split, indices in split_indices(len(digits), self.splits, rng).items():
            os.makedirs(osp.join(root, split))
            lines = []
            for i, index in enumerate(indices):
                name = f'{split}/{i:05d}.png'
                cv2.imwrite(osp.join(root, name), self.render(digits[index], textures, rng))
                lines.append(f'{name} {labels[index]}\n')
            with open(osp.join(root, 'meta', f'{split}.txt'), 'w') as f:
                f.writelines(lines)

    def render(self, digit: np.ndarray, textures: list[np.ndarray],
               rng: np.random.Generator) -> np.ndarray:
        """One sequence as (size, size * num_frames) uint8, frames tiled left to right."""
        path = digit_trajectory(digit)
        # Resample the stroke to a fixed number of positions along its length.
        length = np.r_[0, np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))]
        samples = np.linspace(0, max(length[-1], 1e-6), 4 * self.num_frames)
        track = np.stack([np.interp(samples, length, path[:, d]) for d in range(2)], 1)
        scale = rng.uniform(0.45, 0.7) * self.size / 8
        track = (track - 3.5) * scale + self.size / 2 + rng.uniform(-3, 3, size=2)
        track += rng.normal(0, 0.4, size=track.shape)  # hand tremor
        texture = textures[rng.integers(len(textures))]
        top = rng.integers(texture.shape[0] - self.size)
        left = rng.integers(texture.shape[1] - self.size)
        crop = texture[top:top + self.size, left:left + self.size].astype(np.float32) / 255
        base = crop * rng.uniform(0.1, self.background)
        yy, xx = np.mgrid[:self.size, :self.size]
        frames = []
        per_frame = len(track) // self.num_frames
        for t in range(self.num_frames):
            frame = base.copy()
            # This frame's and the previous frame's points, oldest faintest: a motion trail.
            chunk = track[max(0, (t - 1) * per_frame):(t + 1) * per_frame]
            for k, (y, x) in enumerate(chunk):
                blob = np.exp(-((yy - y)**2 + (xx - x)**2) / (2 * 1.3**2))
                frame = np.maximum(frame, blob * (k + 1) / len(chunk))
            frames.append(frame)
        image = np.concatenate(frames, axis=1) + rng.normal(0, 0.03, (self.size,
                                                                      self.size * len(frames)))
        return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
