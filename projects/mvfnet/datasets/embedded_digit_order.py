"""Digit order: a video task whose label is the order of events, never their appearance.

Each video shows one handwritten digit (``sklearn.datasets.load_digits``) over a crop of a real
texture (``skimage.data``). The digit stops at three places on a horizontal line, ``dwell``
frames at each; the label is the order of the visits, one of the 3! = 6 permutations of
(left, middle, right): label 0 is left, middle, right (moving right), label 5 right, middle,
left (moving left), the others jump. The places, the height of the line, the handwriting and
the background are drawn independently of the label, so **the set of frames of a video has the
same distribution for every label**: a model that pools frame-wise predictions without
modelling time (TSN) is at chance (1/6) by construction, and any accuracy above it comes from
temporal modelling (TSM's shift, MVF's temporal view).

On disk it is an mmaction2 video dataset::

    ROOT/videos/{split}/{index:05d}.mp4      # mp4v, read by decord or OpenCV
    ROOT/{split}_list.txt                    # "split/00000.mp4 LABEL" per line (VideoDataset)
    ROOT/annotations/{split}.json            # digit sample, stops (x, y) in visit order
    ROOT/mmplug_manifest.json

Train, val and test use disjoint handwriting samples.
"""
from __future__ import annotations

import itertools
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
    write_still,
    write_video,
)

# Label -> order in which the stops, sorted left to right, are visited.
ORDERS = tuple(itertools.permutations(range(3)))


@EMBEDDED_DATA.register_module()
class DigitOrderBuilder(EmbeddedDatasetBuilder):
    """Writes the digit-order video dataset (see the module docstring).

    Args:
        root (str): Output folder.
        seed (int): Generator seed. Defaults to 0.
        videos (dict[str, int] | None): Videos per split.
            Defaults to ``{'train': 600, 'val': 120, 'test': 300}``.
        frame_size (int): Side of the square frames in pixels. Defaults to 32.
        digit_size (int): Side of the digit in pixels. Defaults to 12.
        dwell (int): Frames at each stop (a video has ``3 * dwell`` frames). Defaults to 4.
        min_gap (int): Smallest horizontal distance between two stops in pixels.
            Defaults to 4.
        background_contrast (float): Peak intensity of the texture relative to the digit's.
            Defaults to 0.5.
        fps (int): Frame rate written into the files. Defaults to 8.
    """

    version = 1
    smallest_args = dict(videos={'train': 4, 'val': 2, 'test': 2})

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 videos: dict[str, int] | None = None,
                 frame_size: int = 32,
                 digit_size: int = 12,
                 dwell: int = 4,
                 min_gap: int = 4,
                 background_contrast: float = 0.5,
                 fps: int = 8) -> None:
        super().__init__(root, seed)
        span = frame_size - digit_size
        if span < 2 * min_gap:
            raise ValueError(f'frame_size={frame_size} leaves no room for three stops of a '
                             f'{digit_size}-pixel digit {min_gap} pixels apart.')
        self.videos = dict(videos or {'train': 600, 'val': 120, 'test': 300})
        self.frame_size = frame_size
        self.digit_size = digit_size
        self.dwell = dwell
        self.min_gap = min_gap
        self.background_contrast = background_contrast
        self.fps = fps

    def stops(self, rng: np.random.Generator) -> np.ndarray:
        """Three x positions, sorted, at least ``min_gap`` apart (uniform over such triples)."""
        span = self.frame_size - self.digit_size
        free = span - 2 * self.min_gap
        x = np.sort(rng.integers(0, free + 1, size=3))
        return x + np.arange(3) * self.min_gap

    def background(self, textures: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
        """A random crop of a random texture, scaled to ``background_contrast``."""
        return texture_crop(textures, self.frame_size, self.background_contrast, rng,
                            min_side=2 * self.frame_size)

    def write(self, root: str, rng: np.random.Generator) -> None:
        images, _ = load_digit_images()
        textures = load_textures()
        pools = split_indices(len(images), self.videos, rng)
        dsize = self.digit_size
        os.makedirs(osp.join(root, 'annotations'))
        for split, count in self.videos.items():
            os.makedirs(osp.join(root, 'videos', split))
            lines, records = [], []
            for i in range(count):
                label = int(rng.integers(len(ORDERS)))
                idx = int(rng.choice(pools[split]))
                alpha = digit_alpha(images[idx], dsize, cv2.INTER_AREA)
                background = self.background(textures, rng)
                xs = self.stops(rng)
                y = int(rng.integers(0, self.frame_size - dsize + 1))
                visits = [int(xs[j]) for j in ORDERS[label]]
                frames = []
                for x in visits:
                    frame = background.copy()
                    paste(frame, alpha, x, y)
                    frames += [frame] * self.dwell
                name = f'{split}/{i:05d}.mp4'
                write_video(osp.join(root, 'videos', name),
                            np.clip(np.stack(frames), 0, 255).astype(np.uint8), self.fps)
                lines.append(f'{name} {label}')
                records.append(dict(filename=name, label=label, digit_index=idx,
                                    stops=[[x, y] for x in visits]))
            write_split(root, split, lines, records)


@EMBEDDED_DATA.register_module()
class DigitStillsBuilder(DigitOrderBuilder):
    """Stills of single handwritten digits: the stand-in for ImageNet pre-training.

    MVFNet starts its backbone from ImageNet weights (official code:
    ``pretrained/download_imgnet.sh``); none can be downloaded here, so a 2D ResNet is first
    trained to classify stills drawn like the digit-order frames (one digit of
    ``digit_size`` pixels at a random place over a texture crop; label: the digit, 10 classes),
    from the handwriting of the videos' *training* split only (the pools are re-derived from
    the same ``seed`` and ``videos``).

    On disk it is an mmaction2 rawframe dataset of one-frame clips::

        ROOT/rawframes/{split}/{index:05d}/img_00001.png
        ROOT/{split}_list.txt                    # "split/00000 1 LABEL" (RawframeDataset)
        ROOT/mmplug_manifest.json

    Args:
        root (str): Output folder.
        seed (int): Must equal the video dataset's, for its handwriting pools. Defaults to 0.
        videos (dict[str, int] | None): The video dataset's split sizes (for its pools only).
        images (dict[str, int] | None): Stills per split.
            Defaults to ``{'train': 6000, 'val': 600}``.
        **kwargs: Drawing arguments of :class:`DigitOrderBuilder` (``frame_size``,
            ``digit_size``, ``background_contrast``).
    """

    version = 1
    smallest_args = dict(images={'train': 4, 'val': 2})

    def __init__(self, root: str, seed: int = 0, videos: dict[str, int] | None = None,
                 images: dict[str, int] | None = None, **kwargs) -> None:
        super().__init__(root, seed=seed, videos=videos, **kwargs)
        self.images = dict(images or {'train': 6000, 'val': 600})
        del self.dwell, self.min_gap, self.fps  # no motion in stills

    def write(self, root: str, rng: np.random.Generator) -> None:
        images, labels = load_digit_images()
        textures = load_textures()
        # The first draw of DigitOrderBuilder.write: the same pools for the same seed.
        pool = split_indices(len(images), self.videos, rng)['train']
        dsize, span = self.digit_size, self.frame_size - self.digit_size
        for split, count in self.images.items():
            lines = []
            for i in range(count):
                idx = int(rng.choice(pool))
                alpha = digit_alpha(images[idx], dsize, cv2.INTER_AREA)
                still = self.background(textures, rng)
                x, y = (int(v) for v in rng.integers(0, span + 1, size=2))
                paste(still, alpha, x, y)
                name = f'{split}/{i:05d}'
                write_still(root, name, still)
                lines.append(f'{name} 1 {labels[idx]}')
            with open(osp.join(root, f'{split}_list.txt'), 'w') as f:
                f.write('\n'.join(lines) + '\n')
