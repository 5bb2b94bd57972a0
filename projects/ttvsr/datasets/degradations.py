"""The two degradations of the video super-resolution literature, BI and BD.

Used to write the embedded clips and, by ``projects/ttvsr/tools/data/vimeo90k/generate_bd.py``,
the BD inputs of the real datasets (official TTVSR configs: BI for REDS, BD for Vimeo-90K, Vid4
and UDM10; scripts ``degradation/BI_degradation.m`` and ``BD_degradation.m``).
"""
from __future__ import annotations

import math

import numpy as np

DEGRADATIONS = ('BI', 'BD')


def matlab_resize(image: np.ndarray, scale: float) -> np.ndarray:
    """MATLAB ``imresize(image, scale, 'bicubic')`` (mmagic's ``MATLABLikeResize``), uint8 in/out.

    Rounded and clipped to uint8 as MATLAB does for uint8 input; a (h, w) image stays 2-D.
    """
    from mmagic.datasets.transforms import MATLABLikeResize
    out = MATLABLikeResize(keys=[], scale=scale)._resize(image.astype(np.float64))
    return np.clip(np.round(out), 0, 255).astype(np.uint8).reshape(
        out.shape[0], out.shape[1], *image.shape[2:])


def bi_degrade(gt: np.ndarray, scale: int = 4) -> np.ndarray:
    """BI degradation: MATLAB ``imresize(gt, 1/scale, 'bicubic')``, uint8 in/out.

    As in the official ``degradation/BI_degradation.m``.
    """
    return matlab_resize(gt, 1.0 / scale)


def gaussian_kernel_1d(sigma: float = 1.6) -> np.ndarray:
    """The 1-D factor of MATLAB's ``fspecial('gaussian', ceil(3*sigma)*2+2, sigma)``.

    The BD script's kernel has the even size ``ceil(3 sigma) * 2 + 2`` (12 for sigma 1.6),
    with taps at -5.5 ... 5.5; the 2-D kernel is the outer product of this vector with itself.
    """
    size = int(math.ceil(3 * sigma) * 2 + 2)
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2
    g = np.exp(-x**2 / (2 * sigma**2))
    return g / g.sum()


def bd_degrade(gt: np.ndarray, scale: int = 4, sigma: float = 1.6) -> np.ndarray:
    """BD degradation of TTVSR's MATLAB script ``degradation/BD_degradation.m``, uint8 in/out.

    ``imfilter(img, fspecial('gaussian', 12, 1.6), 'replicate')`` correlates with the kernel
    anchored at its MATLAB centre ``floor((12 + 1) / 2) = 6``, i.e. 5 taps before and 6 after
    each pixel; then ``img(2:4:end-2, 2:4:end-2)`` keeps every 4th pixel from 0-based index 1.

    Args:
        gt (np.ndarray): (h, w) or (h, w, c) uint8 image.
        scale (int): Sampling step. Defaults to 4.
        sigma (float): Gaussian standard deviation. Defaults to 1.6.
    """
    g = gaussian_kernel_1d(sigma)
    before = (len(g) + 1) // 2 - 1
    after = len(g) - 1 - before
    img = gt.astype(np.float64)
    for axis in (0, 1):
        pad = [(0, 0)] * img.ndim
        pad[axis] = (before, after)
        padded = np.pad(img, pad, mode='edge')
        length = img.shape[axis]
        img = sum(w * np.take(padded, np.arange(k, k + length), axis=axis)
                  for k, w in enumerate(g))
    h, w = gt.shape[:2]
    # MATLAB 2:step:end-2 (1-based) is 0-based 1, 1+step, ... below h-2.
    img = img[1:h - 2:scale, 1:w - 2:scale]
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def degrade(gt: np.ndarray, kind: str, scale: int = 4) -> np.ndarray:
    """Applies the ``'BI'`` or ``'BD'`` degradation to a uint8 image."""
    if kind == 'BI':
        return bi_degrade(gt, scale)
    if kind == 'BD':
        return bd_degrade(gt, scale)
    raise ValueError(f'Unknown degradation {kind!r}; use one of {DEGRADATIONS}.')
