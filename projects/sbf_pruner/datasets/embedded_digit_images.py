"""Digit images: CIFAR-sized image classification from real handwriting over real textures.

Each image is one handwritten digit from ``sklearn.datasets.load_digits`` (1,797 real samples
by 43 writers), upsampled from 8x8 to a random size, drawn in a random colour at a random
position over a crop of a real greyscale texture photograph from ``skimage.data``; the label is
the digit. The digit samples of the splits are disjoint, so held-out accuracy measures
generalisation to unseen handwriting rather than memorised pixels.

On disk it is the ImageNet-style annotation-file layout read by mmpretrain's
``CustomDataset``::

    ROOT/{split}/{index:05d}.png             # size x size x 3, uint8
    ROOT/meta/{split}.txt                    # "split/00000.png LABEL" per line
    ROOT/mmplug_manifest.json
"""
from __future__ import annotations

import os
import os.path as osp

import cv2
import numpy as np

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder
from projects.common.datasets.moving_digits import load_digit_images, load_textures, split_indices

CLASSES = tuple(str(i) for i in range(10))


@EMBEDDED_DATA.register_module()
class DigitImagesBuilder(EmbeddedDatasetBuilder):
    """Writes the digit-images dataset (see the module docstring).

    Args:
        root (str): Folder the dataset is written to.
        seed (int): Seed of the generator. Defaults to 0.
        size (int): Side of the square images. Defaults to 32 (CIFAR size).
        splits (dict[str, float]): Fractions of the 1,797 handwritten digits per split; the
            splits share no digit sample. Defaults to ``dict(train=0.6, val=0.15,
            test=0.25)``.
        digit_size (tuple[int, int]): Range of the drawn digit's side in pixels. Defaults to
            ``(12, 24)``.
        background (float): Largest brightness of the texture background, in [0, 1]; 0 gives
            plain black backgrounds. Defaults to 0.9.
        noise (float): Standard deviation of the Gaussian pixel noise, in [0, 1] units.
            Defaults to 0.1.
    """

    name = 'digit_images'
    version = 1

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 size: int = 32,
                 splits: dict[str, float] | None = None,
                 digit_size: tuple[int, int] = (12, 24),
                 background: float = 0.9,
                 noise: float = 0.1) -> None:
        super().__init__(root, seed)
        splits = dict(train=0.6, val=0.15, test=0.25) if splits is None else dict(splits)
        if not splits or any(frac <= 0 for frac in splits.values()):
            raise ValueError(f'`splits` needs positive fractions, got {splits}.')
        low, high = digit_size
        if not 4 <= low <= high <= size:
            raise ValueError(f'`digit_size` {tuple(digit_size)} must satisfy '
                             f'4 <= low <= high <= size={size}.')
        if not 0.0 <= background <= 1.0:
            raise ValueError(f'`background` must lie in [0, 1], got {background}.')
        self.size = size
        self.splits = splits
        self.digit_size = [int(low), int(high)]
        self.background = float(background)
        self.noise = float(noise)

    def write(self, root: str, rng: np.random.Generator) -> None:
        """Writes every split's images and annotation file under ``root``."""
        digits, labels = load_digit_images()
        textures = load_textures()
        os.makedirs(osp.join(root, 'meta'))
        for split, indices in split_indices(len(digits), self.splits, rng).items():
            os.makedirs(osp.join(root, split))
            lines = []
            for i, index in enumerate(indices):
                image = self.render(digits[index], textures, rng)
                name = f'{split}/{i:05d}.png'
                cv2.imwrite(osp.join(root, name), image)
                lines.append(f'{name} {labels[index]}\n')
            with open(osp.join(root, 'meta', f'{split}.txt'), 'w') as f:
                f.writelines(lines)

    def render(self, digit: np.ndarray, textures: list[np.ndarray],
               rng: np.random.Generator) -> np.ndarray:
        """Draws one 8x8 uint8 digit over a texture crop; returns (size, size, 3) uint8."""
        texture = textures[rng.integers(len(textures))]
        top = rng.integers(texture.shape[0] - self.size)
        left = rng.integers(texture.shape[1] - self.size)
        crop = texture[top:top + self.size, left:left + self.size].astype(np.float32) / 255
        # A tinted, dimmed texture keeps the background busy but below the digit's contrast.
        tint = rng.uniform(0.5, 1.0, size=3).astype(np.float32)
        image = crop[..., None] * tint * rng.uniform(0, self.background)

        side = int(rng.integers(self.digit_size[0], self.digit_size[1] + 1))
        alpha = cv2.resize(digit, (side, side), interpolation=cv2.INTER_LINEAR)
        alpha = alpha.astype(np.float32)[..., None] / 255
        y, x = rng.integers(0, self.size - side + 1, size=2)
        colour = rng.uniform(0.3, 1.0, size=3).astype(np.float32)
        patch = image[y:y + side, x:x + side]
        image[y:y + side, x:x + side] = patch * (1 - alpha) + colour * alpha
        image += rng.normal(0, self.noise, size=image.shape).astype(np.float32)
        return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
