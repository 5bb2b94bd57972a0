"""Cluttered moving digits: a small moving digit that a low-resolution view cannot read.

Each video shows one small handwritten digit from ``sklearn.datasets.load_digits`` travelling
in a straight line (bouncing off the borders) over a crop of a real greyscale texture from
``skimage.data``, among clutter: static distractor strokes and partial digits (fragments of
other handwriting samples, dimmer than the target). The label is the moving digit. With the
default sizes the digit covers 16 x 16 of 64 x 64 pixels, so at a quarter of the resolution it
is 4 pixels wide: the whole frame at low resolution is not enough, a high-resolution look at
the right place is. This is the setting spatially adaptive models (AdaFocus) are made for.

On disk it is an mmaction2 video dataset, like
:mod:`projects.common.datasets.moving_digits`::

    ROOT/videos/{split}/{index:05d}.mp4      # mp4v, read by decord or OpenCV
    ROOT/{split}_list.txt                    # "split/00000.mp4 LABEL" per line (VideoDataset)
    ROOT/annotations/{split}_boxes.json      # per-frame boxes [x1, y1, x2, y2] of the digit
    ROOT/mmplug_manifest.json
"""
from __future__ import annotations

import os
import os.path as osp

import cv2
import numpy as np

from projects.common.datasets import EMBEDDED_DATA, MovingDigitsBuilder
from projects.common.datasets.moving_digits import (
    bouncing_track,
    load_digit_images,
    load_textures,
    paste,
    split_indices,
    write_split,
    write_still,
)


@EMBEDDED_DATA.register_module()
class ClutteredDigitsBuilder(MovingDigitsBuilder):
    """Moving digits, smaller, over a background with static clutter (see the module docstring).

    Args:
        root (str): Output folder.
        seed (int): Generator seed. Defaults to 0.
        digit_size (int): Side of the moving digit in pixels. Defaults to 16.
        num_strokes (int): Static distractor line segments per video. Defaults to 4.
        num_fragments (int): Static partial digits (fragments of other samples) per video.
            Defaults to 3.
        clutter_intensity (tuple[float, float]): Range of the clutter's intensity relative to
            the digit's. Defaults to (0.4, 0.7).
        motion_region (int, optional): Side of the centred square the digit moves in (the
            clutter still covers the whole frame): the centre bias of real footage, which
            gives a policy that starts at the centre patches that overlap the target.
            Defaults to None (the whole frame).
        **kwargs: The other arguments of :class:`MovingDigitsBuilder` (``videos`` defaults
            to ``{'train': 1000, 'val': 200, 'test': 300}``).
    """

    version = 1
    default_videos = {'train': 1000, 'val': 200, 'test': 300}
    interpolation = cv2.INTER_AREA

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 digit_size: int = 16,
                 num_strokes: int = 4,
                 num_fragments: int = 3,
                 clutter_intensity: tuple[float, float] = (0.4, 0.7),
                 motion_region: int | None = None,
                 **kwargs) -> None:
        super().__init__(root, seed=seed, digit_size=digit_size, **kwargs)
        if motion_region is not None and not digit_size <= motion_region <= self.frame_size:
            raise ValueError(f'motion_region={motion_region} must lie between digit_size='
                             f'{digit_size} and frame_size={self.frame_size}.')
        self.num_strokes = num_strokes
        self.num_fragments = num_fragments
        self.clutter_intensity = list(clutter_intensity)
        self.motion_region = motion_region

    def params(self) -> dict:
        """The manifest's arguments; an unset ``motion_region`` is left out, so that data
        written before the option existed is still recognised."""
        params = super().params()
        if self.motion_region is None:
            del params['motion_region']
        return params

    def digit_track(self, rng: np.random.Generator) -> np.ndarray:
        """Top-left positions of the digit, inside ``motion_region`` when it is set."""
        if self.motion_region is None:
            return super().digit_track(rng)
        offset = (self.frame_size - self.motion_region) // 2
        return offset + bouncing_track(self.num_frames, self.motion_region - self.digit_size,
                                       rng, self.speed)

    def draw_background(self, textures: list[np.ndarray], images: np.ndarray,
                        pool: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        background = self._background(textures, rng)
        self._add_clutter(background, images, pool, rng)
        return background

    def _add_clutter(self, frame: np.ndarray, images: np.ndarray, pool: np.ndarray,
                     rng: np.random.Generator) -> None:
        """Draws the static strokes and partial digits into ``frame`` in place.

        Fragments come from the same split's handwriting pool, so no test handwriting leaks
        into training videos.
        """
        size, dsize = self.frame_size, self.digit_size
        for _ in range(self.num_strokes):
            (x1, y1), (x2, y2) = rng.integers(0, size, size=(2, 2))
            level = 255.0 * rng.uniform(*self.clutter_intensity)
            cv2.line(frame, (int(x1), int(y1)), (int(x2), int(y2)), level,
                     thickness=int(rng.integers(1, 3)))
        for _ in range(self.num_fragments):
            other = self.digit_alpha(images[int(rng.choice(pool))])
            # Keep a random half (top, bottom, left or right) of the other digit.
            keep = np.zeros_like(other)
            half = dsize // 2
            side = int(rng.integers(4))
            if side == 0:
                keep[:half] = 1
            elif side == 1:
                keep[half:] = 1
            elif side == 2:
                keep[:, :half] = 1
            else:
                keep[:, half:] = 1
            alpha = other * keep * rng.uniform(*self.clutter_intensity)
            x, y = rng.integers(0, size - dsize + 1, size=2)
            paste(frame, alpha, x, y)


@EMBEDDED_DATA.register_module()
class ClutteredDigitStillsBuilder(ClutteredDigitsBuilder):
    """Object-centric stills of the cluttered digits: the stand-in for ImageNet pre-training.

    Papers that work on cluttered video (AdaFocusV2 among them) start their encoders from
    ImageNet: still, roughly object-centric photographs. No pretrained weight can be downloaded
    here, so this writes the analogue: small images, each holding one whole handwritten digit at
    a random place over a texture with clutter, drawn exactly as in the videos of
    :class:`ClutteredDigitsBuilder`. Only the handwriting of the videos' *training* split is
    used (the pools are re-derived from the same ``seed`` and ``videos``), so no validation or
    test handwriting is seen in pre-training.

    On disk it is an mmaction2 rawframe dataset of one-frame clips::

        ROOT/rawframes/{split}/{index:05d}/img_00001.png
        ROOT/{split}_list.txt                    # "split/00000 1 LABEL" (RawframeDataset)
        ROOT/annotations/{split}_digits.json     # load_digits index and box of each digit
        ROOT/mmplug_manifest.json

    Args:
        root (str): Output folder.
        seed (int): Seed; must equal the video dataset's for its handwriting pools.
            Defaults to 0.
        videos (dict[str, int] | None): The video dataset's split sizes, only to re-derive its
            handwriting pools. Defaults to :class:`ClutteredDigitsBuilder`'s.
        images (dict[str, int] | None): Number of stills per split.
            Defaults to ``{'train': 6000, 'val': 600}``.
        image_size (int): Side of the square stills. Defaults to 40 (the tiny AdaFocusV2
            patch size).
        digit_size (int): Side of the digit; as in the videos. Defaults to 16.
        num_strokes (int): Distractor strokes per still. Defaults to 2 (the videos' clutter
            density on a smaller area).
        num_fragments (int): Partial digits per still. Defaults to 1.
        **kwargs: Other drawing arguments of :class:`ClutteredDigitsBuilder`.
    """

    version = 1
    smallest_args = dict(images={'train': 2, 'val': 2})

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 videos: dict[str, int] | None = None,
                 images: dict[str, int] | None = None,
                 image_size: int = 40,
                 digit_size: int = 16,
                 num_strokes: int = 2,
                 num_fragments: int = 1,
                 **kwargs) -> None:
        super().__init__(root, seed=seed, videos=videos, frame_size=image_size,
                         digit_size=digit_size, num_strokes=num_strokes,
                         num_fragments=num_fragments, **kwargs)
        self.images = dict(images or {'train': 6000, 'val': 600})
        # Motion does not apply to stills; drop it from the manifest.
        del self.num_frames, self.speed, self.fps

    def write(self, root: str, rng: np.random.Generator) -> None:
        images, labels = load_digit_images()
        textures = load_textures()
        # The first draw of ClutteredDigitsBuilder.write: the same pools for the same seed.
        pool = split_indices(len(images), self.videos, rng)['train']
        size, dsize = self.frame_size, self.digit_size
        os.makedirs(osp.join(root, 'annotations'))
        for split, count in self.images.items():
            lines, digits = [], []
            for i in range(count):
                idx = int(rng.choice(pool))
                alpha = self.digit_alpha(images[idx])
                still = self.draw_background(textures, images, pool, rng)
                x, y = (int(v) for v in rng.integers(0, size - dsize + 1, size=2))
                paste(still, alpha, x, y)
                name = f'{split}/{i:05d}'
                write_still(root, name, still)
                lines.append(f'{name} 1 {labels[idx]}')
                digits.append(dict(frame_dir=name, label=int(labels[idx]), digit_index=idx,
                                   box=[x, y, x + dsize, y + dsize]))
            write_split(root, split, lines, digits, '_digits')
