"""Rotating digits: a video task whose label is a motion (sense and speed of a circular path).

Each video shows one handwritten digit (``sklearn.datasets.load_digits``) over a crop of a real
texture (``skimage.data``), travelling around a circle. The label is its angular velocity, one
of ``len(speeds)`` classes (default: fast clockwise, slow clockwise, slow counter-clockwise,
fast counter-clockwise). Centre, radius, starting angle, handwriting and background are drawn
independently of the label and the starting angle is uniform, so **every frame, alone, has
the same distribution for every label**: a frame-wise model is at chance by construction;
telling the classes apart needs the order of frames (the sense) and their spacing (the speed).
A horizontal flip swaps the sense of rotation, so augmentations must not flip.

On disk it is an mmaction2 video dataset::

    ROOT/videos/{split}/{index:05d}.mp4      # mp4v, read by decord or OpenCV
    ROOT/{split}_list.txt                    # "split/00000.mp4 LABEL" per line (VideoDataset)
    ROOT/annotations/{split}.json            # digit sample, centre, radius, start angle
    ROOT/mmplug_manifest.json

Train, val and test use disjoint handwriting samples; the labels of each split are balanced.
"""
from __future__ import annotations

import os
import os.path as osp

import cv2
import numpy as np

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder
from projects.common.datasets.moving_digits import (
    digit_alpha,
    load_digit_images,
    load_textures,
    paste,
    split_indices,
    texture_crop,
    write_split,
    write_video,
)


@EMBEDDED_DATA.register_module()
class RotatingDigitsBuilder(EmbeddedDatasetBuilder):
    """Writes the rotating-digits video dataset (see the module docstring).

    Args:
        root (str): Output folder.
        seed (int): Generator seed. Defaults to 0.
        videos (dict[str, int] | None): Videos per split.
            Defaults to ``{'train': 600, 'val': 100, 'test': 300}``.
        num_frames (int): Frames per video. Defaults to 16.
        frame_size (int): Side of the square frames in pixels. Defaults to 32.
        digit_size (int): Side of the digit in pixels. Defaults to 10.
        radius (tuple[float, float]): Range of the circle's radius in pixels.
            Defaults to (4.0, 8.0).
        speeds (tuple[float, ...]): Angular velocity of each class in degrees per frame
            (positive: counter-clockwise on screen). Defaults to (-30, -15, 15, 30).
        background_contrast (float): Peak intensity of the texture relative to the digit's.
            Defaults to 0.5.
        fps (int): Frame rate written into the files. Defaults to 8.
    """

    version = 1
    smallest_args = dict(videos={'train': 8, 'val': 2, 'test': 2})

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 videos: dict[str, int] | None = None,
                 num_frames: int = 16,
                 frame_size: int = 32,
                 digit_size: int = 10,
                 radius: tuple[float, float] = (4.0, 8.0),
                 speeds: tuple[float, ...] = (-30.0, -15.0, 15.0, 30.0),
                 background_contrast: float = 0.5,
                 fps: int = 8) -> None:
        super().__init__(root, seed)
        if 2 * radius[1] > frame_size - digit_size:
            raise ValueError(f'radius={radius} does not fit a {digit_size}-pixel digit in '
                             f'{frame_size}-pixel frames (2 * radius <= frame_size - '
                             'digit_size).')
        self.videos = dict(videos or {'train': 600, 'val': 100, 'test': 300})
        self.num_frames = num_frames
        self.frame_size = frame_size
        self.digit_size = digit_size
        self.radius = list(radius)
        self.speeds = list(speeds)
        self.background_contrast = background_contrast
        self.fps = fps

    def track(self, label: int, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
        """Top-left positions (num_frames, 2) of the digit and the drawn circle."""
        span = self.frame_size - self.digit_size
        radius = rng.uniform(*self.radius)
        centre = rng.uniform(radius, span - radius, size=2)
        start = rng.uniform(0.0, 360.0)
        # Image rows grow downwards: y = cy - r sin(angle) makes positive speeds
        # counter-clockwise on screen.
        angles = np.deg2rad(start + self.speeds[label] * np.arange(self.num_frames))
        xy = np.stack([centre[0] + radius * np.cos(angles),
                       centre[1] - radius * np.sin(angles)], axis=1)
        circle = dict(centre=centre.tolist(), radius=float(radius), start=float(start))
        return np.round(xy).astype(np.int64), circle

    def write(self, root: str, rng: np.random.Generator) -> None:
        images, _ = load_digit_images()
        textures = load_textures()
        pools = split_indices(len(images), self.videos, rng)
        os.makedirs(osp.join(root, 'annotations'))
        for split, count in self.videos.items():
            os.makedirs(osp.join(root, 'videos', split))
            labels = rng.permutation(np.arange(count) % len(self.speeds))
            lines, records = [], []
            for i, label in enumerate(int(v) for v in labels):
                idx = int(rng.choice(pools[split]))
                alpha = digit_alpha(images[idx], self.digit_size, cv2.INTER_AREA)
                background = texture_crop(textures, self.frame_size,
                                          self.background_contrast, rng,
                                          min_side=2 * self.frame_size)
                track, circle = self.track(label, rng)
                frames = np.repeat(background[None], self.num_frames, axis=0)
                for t, (x, y) in enumerate(track):
                    paste(frames[t], alpha, int(x), int(y))
                name = f'{split}/{i:05d}.mp4'
                write_video(osp.join(root, 'videos', name),
                            np.clip(frames, 0, 255).astype(np.uint8), self.fps)
                lines.append(f'{name} {label}')
                records.append(dict(filename=name, label=label, digit_index=idx, **circle))
            write_split(root, split, lines, records)
