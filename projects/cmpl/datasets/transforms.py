"""Video transforms of CMPL: views at two frame rates, weak / strong branches, clip RandAugment.

The paper's networks read the same video at different frame rates (Fig. 3), each with a weakly
and a strongly augmented version of every unlabeled clip. Here a clip is decoded once, densely
(the auxiliary network's rate); :class:`MultiView` runs one sub-pipeline per view on a copy
of it, and :class:`SubsampleFrames` thins the primary network's views to its lower rate, so all
views cover the same temporal window. :class:`ClipRandAugment` is the strong augmentation:
RandAugment-style operations (FixMatch's strong augmentation) plus Cutout, drawn once per clip
and applied identically to every frame, so that augmentation never creates motion.
"""
from __future__ import annotations

import copy
from collections.abc import Sequence

import cv2
import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from mmengine.dataset import Compose


@TRANSFORMS.register_module()
class MultiView(BaseTransform):
    """Runs one pipeline per named view on copies of the same decoded clip.

    Each pipeline must end with ``PackActionInputs``. The result is
    ``dict(inputs={name: tensor, ...}, data_samples=...)`` with the data sample of the first
    view (all views share the video's annotation).

    Args:
        views (dict[str, list[dict]]): View name to its list of transform configs.
    """

    def __init__(self, views: dict[str, Sequence[dict]]) -> None:
        if not views:
            raise ValueError('MultiView: `views` is empty; give at least one named pipeline.')
        self.views = {name: Compose(list(pipeline)) for name, pipeline in views.items()}

    def transform(self, results: dict) -> dict | None:
        inputs, data_samples = {}, None
        for name, pipeline in self.views.items():
            packed = pipeline(copy.deepcopy(results))
            if packed is None:
                return None
            inputs[name] = packed['inputs']
            data_samples = packed['data_samples'] if data_samples is None else data_samples
        return dict(inputs=inputs, data_samples=data_samples)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(views={list(self.views)})'


@TRANSFORMS.register_module()
class SubsampleFrames(BaseTransform):
    """Keeps every ``step``-th decoded frame of each clip: a lower frame rate, same window.

    Required keys: ``imgs``, ``clip_len``, ``num_clips``; modified: ``imgs``, ``clip_len``,
    ``frame_inds`` (when present), ``frame_interval`` (when present).

    Args:
        step (int): Keep one frame in ``step``. Defaults to 2.
        offset (int): Index of the first kept frame within each clip. Defaults to 0.
    """

    def __init__(self, step: int = 2, offset: int = 0) -> None:
        if step < 1 or not 0 <= offset < step:
            raise ValueError(f'SubsampleFrames: need step >= 1 and 0 <= offset < step, got '
                             f'step={step}, offset={offset}.')
        self.step = step
        self.offset = offset

    def transform(self, results: dict) -> dict:
        clip_len, num_clips = results['clip_len'], results['num_clips']
        if clip_len % self.step:
            raise ValueError(f'SubsampleFrames: clip_len={clip_len} is not a multiple of '
                             f'step={self.step}; change SampleFrames.clip_len or the step.')
        keep = [c * clip_len + t for c in range(num_clips)
                for t in range(self.offset, clip_len, self.step)]
        results['imgs'] = [results['imgs'][i] for i in keep]
        if 'frame_inds' in results:
            results['frame_inds'] = np.asarray(results['frame_inds']).reshape(-1)[keep]
        if 'frame_interval' in results:
            results['frame_interval'] = results['frame_interval'] * self.step
        results['clip_len'] = clip_len // self.step
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(step={self.step}, offset={self.offset})'


# Operation -> (uses a sign, maps a magnitude in [0, 1] to its parameter).
_OPS = {
    'Identity': (False, lambda m: 0.0),
    'AutoContrast': (False, lambda m: 0.0),
    'Equalize': (False, lambda m: 0.0),
    'Brightness': (True, lambda m: 0.9 * m),
    'Contrast': (True, lambda m: 0.9 * m),
    'Color': (True, lambda m: 0.9 * m),
    'Posterize': (False, lambda m: int(round(8 - 4 * m))),
    'Solarize': (False, lambda m: 256.0 - 256.0 * m),
    'Rotate': (True, lambda m: 30.0 * m),
    'ShearX': (True, lambda m: 0.3 * m),
    'ShearY': (True, lambda m: 0.3 * m),
    'TranslateX': (True, lambda m: 0.3 * m),
    'TranslateY': (True, lambda m: 0.3 * m),
}


def _affine(clip: np.ndarray, matrix: np.ndarray, fill: float) -> np.ndarray:
    h, w = clip.shape[1:3]
    return np.stack([cv2.warpAffine(frame, matrix, (w, h), flags=cv2.INTER_LINEAR,
                                    borderValue=(fill, fill, fill)).reshape(frame.shape)
                     for frame in clip])


def apply_clip_op(clip: np.ndarray, name: str, value: float, fill: float = 128.0) -> np.ndarray:
    """One operation with parameter ``value`` on a uint8 clip (T, H, W, C), the same on every
    frame. Statistics (AutoContrast, Equalize, Contrast) are taken over the whole clip."""
    x = clip.astype(np.float32)
    h, w = clip.shape[1:3]
    if name == 'Identity':
        return clip
    if name == 'AutoContrast':
        lo = x.min(axis=(0, 1, 2), keepdims=True)
        hi = x.max(axis=(0, 1, 2), keepdims=True)
        x = (x - lo) * (255.0 / np.maximum(hi - lo, 1.0))
    elif name == 'Equalize':
        out = np.empty_like(clip)
        for c in range(clip.shape[-1]):
            hist = np.bincount(clip[..., c].reshape(-1), minlength=256)
            lut = np.round(255.0 * np.cumsum(hist) / max(hist.sum(), 1)).astype(np.uint8)
            out[..., c] = lut[clip[..., c]]
        return out
    elif name == 'Brightness':
        x = x * (1.0 + value)
    elif name == 'Contrast':
        mean = x.mean()
        x = (x - mean) * (1.0 + value) + mean
    elif name == 'Color':
        grey = x.mean(axis=-1, keepdims=True)
        x = grey + (x - grey) * (1.0 + value)
    elif name == 'Posterize':
        shift = 8 - int(value)
        return (clip >> shift) << shift
    elif name == 'Solarize':
        x = np.where(x >= value, 255.0 - x, x)
    elif name == 'Rotate':
        return _affine(clip, cv2.getRotationMatrix2D((w / 2, h / 2), value, 1.0), fill)
    elif name in ('ShearX', 'ShearY'):
        matrix = np.array([[1, value, -value * h / 2], [0, 1, 0]]) if name == 'ShearX' \
            else np.array([[1, 0, 0], [value, 1, -value * w / 2]])
        return _affine(clip, matrix.astype(np.float32), fill)
    elif name in ('TranslateX', 'TranslateY'):
        dx, dy = (value * w, 0.0) if name == 'TranslateX' else (0.0, value * h)
        return _affine(clip, np.float32([[1, 0, dx], [0, 1, dy]]), fill)
    else:
        raise KeyError(f'Unknown clip operation {name!r}; known: {sorted(_OPS)}.')
    return np.clip(np.round(x), 0, 255).astype(np.uint8)


def apply_cutout(clip: np.ndarray, box: tuple[int, int, int, int],
                 fill: float = 128.0) -> np.ndarray:
    """``clip`` (T, H, W, C) with the box (x0, y0, x1, y1) filled on every frame."""
    x0, y0, x1, y1 = box
    out = clip.copy()
    out[:, y0:y1, x0:x1] = np.uint8(fill)
    return out


@TRANSFORMS.register_module()
class ClipRandAugment(BaseTransform):
    """RandAugment with Cutout for videos: operations drawn once per clip, same on all frames.

    ``num_ops`` operations are drawn uniformly from ``ops`` (with replacement), each with a
    magnitude drawn uniformly from [0, ``magnitude``] (FixMatch's RandAugment variant) and a
    random sign where the operation has one; then a square of side U(0, ``cutout``) times the
    frame side is filled with grey. No flip is included: on tasks where direction matters a
    flip changes the label. The drawn operations are recorded in ``results['clip_aug']``.

    Required keys: ``imgs`` (list of H x W x C uint8 frames, all clips of the sample);
    modified: ``imgs``; added: ``clip_aug``.

    Args:
        num_ops (int): Operations per clip. Defaults to 2.
        magnitude (float): Largest magnitude, in [0, 1]. Defaults to 1.0.
        cutout (float): Largest Cutout side as a fraction of the frame side (0 turns it off).
            Defaults to 0.5.
        ops (Sequence[str], optional): Operation names. Defaults to all of them (Identity,
            AutoContrast, Equalize, Brightness, Contrast, Color, Posterize, Solarize, Rotate,
            ShearX/Y, TranslateX/Y).
        fill (float): Grey level of uncovered and cut-out pixels. Defaults to 128.
    """

    def __init__(self, num_ops: int = 2, magnitude: float = 1.0, cutout: float = 0.5,
                 ops: Sequence[str] | None = None, fill: float = 128.0) -> None:
        self.ops = list(ops) if ops is not None else list(_OPS)
        unknown = [op for op in self.ops if op not in _OPS]
        if unknown or not self.ops:
            raise ValueError(f'ClipRandAugment: unknown ops {unknown}; known: {sorted(_OPS)}.')
        if not 0.0 <= magnitude <= 1.0 or not 0.0 <= cutout <= 1.0:
            raise ValueError('ClipRandAugment: magnitude and cutout must lie in [0, 1].')
        self.num_ops = num_ops
        self.magnitude = magnitude
        self.cutout = cutout
        self.fill = fill

    def draw(self, height: int, width: int) -> list[tuple]:
        """The random operations of one clip: (name, value) pairs, then ('Cutout', box)."""
        drawn = []
        for _ in range(self.num_ops):
            name = self.ops[np.random.randint(len(self.ops))]
            signed, to_value = _OPS[name]
            value = to_value(np.random.uniform(0.0, self.magnitude))
            if signed and np.random.rand() < 0.5:
                value = -value
            drawn.append((name, value))
        if self.cutout > 0:
            side = int(round(np.random.uniform(0.0, self.cutout) * min(height, width)))
            cx, cy = np.random.randint(width), np.random.randint(height)
            drawn.append(('Cutout', (max(cx - side // 2, 0), max(cy - side // 2, 0),
                                     min(cx + (side + 1) // 2, width),
                                     min(cy + (side + 1) // 2, height))))
        return drawn

    def apply(self, clip: np.ndarray, drawn: list[tuple]) -> np.ndarray:
        """Applies drawn operations to a clip (T, H, W, C)."""
        for name, value in drawn:
            clip = apply_cutout(clip, value, self.fill) if name == 'Cutout' \
                else apply_clip_op(clip, name, value, self.fill)
        return clip

    def transform(self, results: dict) -> dict:
        clip = np.stack(results['imgs'])
        squeeze = clip.ndim == 3  # greyscale frames (H, W)
        if squeeze:
            clip = clip[..., None]
        drawn = self.draw(*clip.shape[1:3])
        clip = self.apply(clip, drawn)
        results['imgs'] = list(clip[..., 0] if squeeze else clip)
        results['clip_aug'] = drawn
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_ops={self.num_ops}, magnitude={self.magnitude}, '
                f'cutout={self.cutout}, ops={self.ops})')
