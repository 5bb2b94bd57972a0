"""Moving digits: video classification from real handwriting over real textures.

Each video shows one handwritten digit from ``sklearn.datasets.load_digits`` (1,797 real
samples by 43 writers) travelling in a straight line, bouncing off the frame borders, over a
crop of a real greyscale texture from ``skimage.data``; the label is the digit. The digit
images of the splits are disjoint, so held-out accuracy measures generalisation to unseen
handwriting rather than memorised pixels.

On disk it is an mmaction2 video dataset::

    ROOT/videos/{split}/{index:05d}.mp4      # mp4v, read by decord or OpenCV
    ROOT/{split}_list.txt                    # "split/00000.mp4 LABEL" per line (VideoDataset)
    ROOT/annotations/{split}_boxes.json      # per-frame digit boxes, for analysis only
    ROOT/mmplug_manifest.json
"""
from __future__ import annotations

import json
import os
import os.path as osp

import cv2
import numpy as np

from ..registry import EMBEDDED_DATA
from .builder import EmbeddedDatasetBuilder

# Greyscale photographs of textures shipped inside the scikit-image wheel.
TEXTURES = ('grass', 'gravel', 'brick')


def load_digit_images() -> tuple[np.ndarray, np.ndarray]:
    """Returns the 1,797 ``load_digits`` images as uint8 (N, 8, 8) and their labels."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    images = np.round(digits.images * (255.0 / 16.0)).astype(np.uint8)
    return images, digits.target.astype(np.int64)


def load_textures() -> list[np.ndarray]:
    """Returns the packaged greyscale texture photographs as uint8 arrays."""
    from skimage import data
    return [np.asarray(getattr(data, name)(), dtype=np.uint8) for name in TEXTURES]


def split_indices(num: int, fractions: dict[str, float],
                  rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Shuffles ``range(num)`` and cuts it into disjoint parts of the given fractions."""
    order = rng.permutation(num)
    total = sum(fractions.values())
    parts, start = {}, 0
    for i, (split, frac) in enumerate(fractions.items()):
        stop = num if i == len(fractions) - 1 else start + int(round(num * frac / total))
        parts[split] = order[start:stop]
        start = stop
    return parts


def bouncing_track(num_frames: int, span: int, rng: np.random.Generator,
                   speed: tuple[float, float]) -> np.ndarray:
    """Top-left positions (num_frames, 2) of a point moving in [0, span]², reflecting at edges."""
    pos = rng.uniform(0, span, size=2)
    angle = rng.uniform(0, 2 * np.pi)
    vel = rng.uniform(*speed) * np.array([np.cos(angle), np.sin(angle)])
    track = np.empty((num_frames, 2))
    for t in range(num_frames):
        track[t] = pos
        pos = pos + vel
        for d in range(2):
            if pos[d] < 0 or pos[d] > span:
                # Reflect the overshoot back inside; speeds below span keep one bounce enough.
                vel[d] = -vel[d]
                pos[d] = -pos[d] if pos[d] < 0 else 2 * span - pos[d]
    return np.round(track).astype(np.int64)


def digit_alpha(image: np.ndarray, size: int, interpolation: int) -> np.ndarray:
    """A ``load_digits`` image resized to ``size`` as an opacity map in [0, 1] (float32)."""
    return cv2.resize(image, (size, size), interpolation=interpolation).astype(
        np.float32) / 255.0


def texture_crop(textures: list[np.ndarray], size: int, contrast: float,
                 rng: np.random.Generator, min_side: int | None = None) -> np.ndarray:
    """A random square crop (side ``min_side`` or more; ``size`` by default) of a random
    texture, resized to ``size`` and scaled so that its peak is ``contrast`` of white."""
    texture = textures[rng.integers(len(textures))]
    side = int(rng.integers(min_side or size, min(texture.shape[:2]) // 2))
    y = int(rng.integers(0, texture.shape[0] - side + 1))
    x = int(rng.integers(0, texture.shape[1] - side + 1))
    crop = cv2.resize(texture[y:y + side, x:x + side], (size, size),
                      interpolation=cv2.INTER_AREA).astype(np.float32)
    return crop * (contrast * 255.0 / max(float(crop.max()), 1.0))


def paste(canvas: np.ndarray, alpha: np.ndarray, x: int, y: int) -> None:
    """Draws white ink of opacity ``alpha`` into ``canvas`` (float) at column x, row y."""
    h, w = alpha.shape
    region = canvas[y:y + h, x:x + w]
    canvas[y:y + h, x:x + w] = region * (1 - alpha) + 255.0 * alpha


def write_still(root: str, name: str, image: np.ndarray) -> None:
    """Writes ``image`` as the one-frame clip ``ROOT/rawframes/NAME/img_00001.png``
    (mmaction2's ``RawframeDataset`` layout)."""
    os.makedirs(osp.join(root, 'rawframes', name))
    cv2.imwrite(osp.join(root, 'rawframes', name, 'img_00001.png'),
                np.clip(image, 0, 255).astype(np.uint8))


def write_split(root: str, split: str, lines: list[str], records: list[dict],
                suffix: str = '') -> None:
    """Writes a split's list file ``{split}_list.txt`` (one line per sample) and its records
    ``annotations/{split}{suffix}.json`` (what analysis tools read about each sample)."""
    with open(osp.join(root, f'{split}_list.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(osp.join(root, 'annotations', f'{split}{suffix}.json'), 'w') as f:
        json.dump(records, f)


def write_video(path: str, frames: np.ndarray, fps: int) -> None:
    """Writes greyscale frames (T, H, W) uint8 as an mp4v video."""
    t, h, w = frames.shape
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h))
    if not writer.isOpened():
        raise RuntimeError(f'OpenCV cannot write {path!r} with the mp4v codec.')
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
    writer.release()


@EMBEDDED_DATA.register_module()
class MovingDigitsBuilder(EmbeddedDatasetBuilder):
    """Writes the moving-digits video dataset (see the module docstring).

    Args:
        root (str): Output folder.
        seed (int): Generator seed. Defaults to 0.
        videos (dict[str, int]): Number of videos per split.
            Defaults to ``{'train': 600, 'val': 200, 'test': 200}``.
        num_frames (int): Frames per video. Defaults to 16.
        frame_size (int): Side of the square frames in pixels. Defaults to 64.
        digit_size (int): Side of the digit in pixels. Defaults to 24.
        speed (tuple[float, float]): Range of the digit speed in pixels per frame.
            Defaults to (1.0, 3.0).
        background_contrast (float): Peak intensity of the texture relative to the digit's
            (0 gives a black background). Defaults to 0.5.
        fps (int): Frame rate written into the files. Defaults to 8.
    """

    version = 1
    default_videos = {'train': 600, 'val': 200, 'test': 200}
    smallest_args = dict(videos={'train': 2, 'val': 2, 'test': 2})
    # How the 8x8 source digit is enlarged (kept per dataset: changing it changes the data).
    interpolation = cv2.INTER_CUBIC

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 videos: dict[str, int] | None = None,
                 num_frames: int = 16,
                 frame_size: int = 64,
                 digit_size: int = 24,
                 speed: tuple[float, float] = (1.0, 3.0),
                 background_contrast: float = 0.5,
                 fps: int = 8) -> None:
        super().__init__(root, seed)
        if digit_size > frame_size:
            raise ValueError(f'digit_size={digit_size} is larger than frame_size={frame_size}.')
        self.videos = dict(videos or self.default_videos)
        self.num_frames = num_frames
        self.frame_size = frame_size
        self.digit_size = digit_size
        self.speed = list(speed)
        self.background_contrast = background_contrast
        self.fps = fps

    def write(self, root: str, rng: np.random.Generator) -> None:
        images, labels = load_digit_images()
        textures = load_textures()
        pools = split_indices(len(images), self.videos, rng)
        dsize = self.digit_size
        os.makedirs(osp.join(root, 'annotations'))
        for split, count in self.videos.items():
            os.makedirs(osp.join(root, 'videos', split))
            lines, boxes = [], []
            for i in range(count):
                idx = int(rng.choice(pools[split]))
                alpha = self.digit_alpha(images[idx])
                background = self.draw_background(textures, images, pools[split], rng)
                track = self.digit_track(rng)
                frames = np.repeat(background[None], self.num_frames, axis=0)
                for t, (x, y) in enumerate(track):
                    paste(frames[t], alpha, x, y)
                name = f'{split}/{i:05d}.mp4'
                write_video(osp.join(root, 'videos', name),
                            np.clip(frames, 0, 255).astype(np.uint8), self.fps)
                lines.append(f'{name} {labels[idx]}')
                boxes.append(dict(filename=name, label=int(labels[idx]), digit_index=idx,
                                  boxes=[[int(x), int(y), int(x) + dsize, int(y) + dsize]
                                         for x, y in track]))
            write_split(root, split, lines, boxes, '_boxes')

    def digit_track(self, rng: np.random.Generator) -> np.ndarray:
        """Top-left positions (num_frames, 2) of the digit in one video."""
        return bouncing_track(self.num_frames, self.frame_size - self.digit_size, rng,
                              self.speed)

    def digit_alpha(self, image: np.ndarray) -> np.ndarray:
        """The digit at ``digit_size`` as an opacity map in [0, 1]."""
        return digit_alpha(image, self.digit_size, self.interpolation)

    def draw_background(self, textures: list[np.ndarray], images: np.ndarray,
                        pool: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The static background of one video; subclasses add clutter drawn from ``pool``."""
        return self._background(textures, rng)

    def _background(self, textures: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
        """A random crop of a random texture, scaled to ``background_contrast``."""
        return texture_crop(textures, self.frame_size, self.background_contrast, rng)
