"""Embedded video super-resolution: smooth camera motion across real photographs.

Each clip is a virtual camera gliding over one real photograph shipped in the scikit-image
wheel (``skimage.data``): a square window that pans along a smooth path, zooms in or out and
turns slightly, rendered at ``gt_size`` x ``gt_size`` pixels. The low-resolution frames are
made from the ground truth with the two degradations of the VSR literature (the official TTVSR
scripts ``degradation/BI_degradation.m`` and ``degradation/BD_degradation.m``):

- **BI**: MATLAB ``imresize(gt, 1/4, 'bicubic')`` (mmagic's MATLAB-like resize);
- **BD**: a 12x12 Gaussian blur with sigma 1.6 (``fspecial``, ``imfilter`` with replicate
  padding), then every 4th pixel from MATLAB index 2 (``img(2:4:end-2, 2:4:end-2)``).

Training and held-out clips are cut from disjoint photographs, so held-out quality measures
generalisation to unseen content. Every frame's camera transform is stored, so the true
optical flow between any two frames of a clip is known
(:func:`projects.ttvsr.datasets.camera.lr_flow`), which the SPyNet pre-training of
``projects/ttvsr`` uses in place of FlyingChairs/Sintel.

On disk it is the REDS frame-folder layout that mmagic's ``BasicFramesDataset`` and
``GenerateSegmentIndices`` read unchanged::

    ROOT/GT/{clip}/{frame:08d}.png           # gt_size x gt_size x 3, RGB content, uint8
    ROOT/BIx4/{clip}/{frame:08d}.png         # (gt_size / 4)^2, per degradation
    ROOT/BDx4/{clip}/{frame:08d}.png
    ROOT/meta_info_{split}_GT.txt            # "000/00000000.png (128, 128, 3)" per frame
    ROOT/camera/{clip}.json                  # photo name, split, 2x3 frame-to-photo matrices
    ROOT/mmplug_manifest.json

Clip names are three-digit numbers, unique across splits (train clips first).
"""
from __future__ import annotations

import json
import math
import os
import os.path as osp
from collections.abc import Sequence

import cv2
import numpy as np

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder

from .degradations import DEGRADATIONS, degrade

# Real photographs inside the scikit-image wheel (no download). Grey ones become 3-channel.
COLOUR_PHOTOS = ('astronaut', 'chelsea', 'coffee', 'rocket', 'immunohistochemistry',
                 'hubble_deep_field', 'retina', 'stereo_motorcycle')
GREY_PHOTOS = ('camera', 'moon', 'text', 'page', 'coins', 'grass', 'gravel', 'brick')
TRAIN_PHOTOS = ('astronaut', 'chelsea', 'rocket', 'immunohistochemistry', 'hubble_deep_field',
                'retina', 'moon', 'text', 'page', 'grass', 'gravel', 'brick')
TEST_PHOTOS = ('coffee', 'stereo_motorcycle', 'camera', 'coins')

def check_photo(name: str) -> None:
    """Raises ValueError unless ``name`` is one of the packaged photographs listed here."""
    if name not in COLOUR_PHOTOS + GREY_PHOTOS:
        raise ValueError(f'Unknown photograph {name!r}; use one of '
                         f'{COLOUR_PHOTOS + GREY_PHOTOS} (they ship inside scikit-image).')


def load_photo(name: str) -> np.ndarray:
    """Returns a packaged ``skimage.data`` photograph as uint8 RGB (h, w, 3)."""
    check_photo(name)
    from skimage import data
    image = getattr(data, name)()
    if isinstance(image, tuple):  # stereo_motorcycle: (left, right, disparity)
        image = image[0]
    image = np.asarray(image, dtype=np.uint8)
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    return np.ascontiguousarray(image[..., :3])


def camera_path(num_frames: int, photo_shape: tuple[int, int], gt_size: int,
                rng: np.random.Generator, speed: Sequence[float], zoom: Sequence[float],
                max_rotation: float) -> np.ndarray:
    """Frame-to-photo matrices (num_frames, 2, 3) of one smooth camera path.

    The window centre moves from a random start at a random speed and direction, with a
    gentle sinusoidal wobble so that the velocity is not constant; zoom changes
    log-linearly and the angle linearly between two random values. The path is kept inside
    the photograph (for every zoom and angle) by reflecting it at the reachable area's edges
    (the camera pans back, as a handheld camera sweeping a scene does), so every pixel of every
    frame is real content, fast pans last a whole clip, and the flow between any two frames is
    an exact affine map.
    """
    height, width = photo_shape
    half = (gt_size - 1) / 2
    t = np.linspace(0.0, 1.0, num_frames)
    scales = np.exp(np.log(rng.uniform(*zoom)) * (1 - t) + np.log(rng.uniform(*zoom)) * t)
    angles = np.deg2rad(rng.uniform(-max_rotation, max_rotation, size=2))
    angles = angles[0] * (1 - t) + angles[1] * t
    # Half diagonal of the largest window: centres in [reach, size - 1 - reach] keep it inside.
    reach = half * math.sqrt(2) * scales.max()
    low = np.array([reach, reach])
    high = np.array([width - 1 - reach, height - 1 - reach])
    if np.any(high < low):
        raise ValueError(f'A photograph of {width}x{height} pixels is too small for '
                         f'{gt_size}-pixel frames at zoom {tuple(zoom)}; raise `photo_scale`.')
    start = rng.uniform(low, high)
    heading = rng.uniform(0, 2 * np.pi)
    step = rng.uniform(*speed) * np.array([np.cos(heading), np.sin(heading)])
    wobble = rng.uniform(0.5, 2.0) * np.sin(2 * np.pi * rng.uniform(0.5, 1.5) * t[:, None]
                                            + rng.uniform(0, 2 * np.pi, size=2))
    centres = start + np.arange(num_frames)[:, None] * step + wobble
    # Fold the straight path into [low, high] (a triangle wave): reflection at the edges.
    span = np.maximum(high - low, 1e-9)
    folded = np.mod(centres - low, 2 * span)
    centres = low + np.where(folded > span, 2 * span - folded, folded)
    cos, sin = np.cos(angles) * scales, np.sin(angles) * scales
    linear = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], 1)  # (T, 2, 2)
    shift = centres - linear @ np.array([half, half])
    return np.concatenate([linear, shift[:, :, None]], axis=2)


def render_frame(photo: np.ndarray, matrix: np.ndarray, gt_size: int) -> np.ndarray:
    """Samples the ``gt_size`` square frame whose pixel (u, v) shows ``matrix @ (u, v, 1)``."""
    return cv2.warpAffine(photo, np.asarray(matrix, np.float64), (gt_size, gt_size),
                          flags=cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_REFLECT_101)


@EMBEDDED_DATA.register_module()
class EmbeddedVSRBuilder(EmbeddedDatasetBuilder):
    """Writes the embedded VSR dataset (see the module docstring).

    Args:
        root (str): Folder the dataset is written to.
        seed (int): Seed of the generator. Defaults to 0.
        clips (dict[str, int]): Number of clips per split.
            Defaults to ``dict(train=32, test=8)``.
        num_frames (dict[str, int]): Frames per clip, per split.
            Defaults to ``dict(train=30, test=40)``.
        photos (dict[str, Sequence[str]]): Photographs each split's clips are cut from, in
            turn; splits must not share a photograph. Defaults to :data:`TRAIN_PHOTOS` for
            ``train`` and :data:`TEST_PHOTOS` for every other split.
        gt_size (int): Side of the square ground-truth frames; a multiple of ``scale``.
            Defaults to 128.
        scale (int): Downsampling factor. Defaults to 4.
        degradations (Sequence[str]): LR versions to write, of ``('BI', 'BD')``.
            Defaults to both.
        photo_scale (float): Each photograph is first resized (area interpolation) so that
            its short side is ``photo_scale * gt_size``: sharp content at the frame scale,
            with room to move. Defaults to 3.0.
        speed (tuple[float, float]): Range of the pan speed in GT pixels per frame.
            Defaults to (4.0, 12.0), 1-3 LR pixels per frame at x4: REDS-like motion, which
            a trajectory of 4x4 tokens follows (slower motion never leaves its token).
        zoom (tuple[float, float]): Range of the zoom (photo pixels per frame pixel) at the
            start and at the end of a clip. Defaults to (0.85, 1.2).
        max_rotation (float): Largest camera angle in degrees. Defaults to 5.
        write_gt (bool): Whether to write the ``GT`` frames. Flow-only datasets (the SPyNet
            pre-training pairs) need only the LR frames and the cameras. Defaults to True.
    """

    name = 'embedded_vsr'
    version = 2  # 2: fast pans reflected at the photo edges (1: 0.5-3 px/frame, clipped)

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 clips: dict[str, int] | None = None,
                 num_frames: dict[str, int] | None = None,
                 photos: dict[str, Sequence[str]] | None = None,
                 gt_size: int = 128,
                 scale: int = 4,
                 degradations: Sequence[str] = DEGRADATIONS,
                 photo_scale: float = 3.0,
                 speed: tuple[float, float] = (4.0, 12.0),
                 zoom: tuple[float, float] = (0.85, 1.2),
                 max_rotation: float = 5.0,
                 write_gt: bool = True) -> None:
        super().__init__(root, seed)
        self.clips = dict(clips or dict(train=32, test=8))
        self.num_frames = dict(num_frames or dict(train=30, test=40))
        if set(self.num_frames) != set(self.clips):
            raise ValueError(f'`num_frames` {self.num_frames} must name the same splits as '
                             f'`clips` {self.clips}.')
        if any(n < 2 for n in self.num_frames.values()):
            raise ValueError(f'Clips need at least 2 frames, got num_frames={self.num_frames}.')
        if photos is None:
            photos = {split: TRAIN_PHOTOS if split == 'train' else TEST_PHOTOS
                      for split in self.clips}
        self.photos = {split: list(names) for split, names in photos.items()}
        if set(self.photos) != set(self.clips):
            raise ValueError(f'`photos` must name the same splits as `clips` {self.clips}, '
                             f'got {sorted(self.photos)}.')
        for split, names in self.photos.items():
            if not names:
                raise ValueError(f'`photos[{split!r}]` is empty.')
            for name in names:
                check_photo(name)
            for other, other_names in self.photos.items():
                shared = set(names) & set(other_names)
                if other != split and shared:
                    raise ValueError(f'Splits {split!r} and {other!r} share photographs '
                                     f'{sorted(shared)}; held-out clips must show unseen '
                                     'content.')
        if gt_size % scale:
            raise ValueError(f'gt_size={gt_size} must be a multiple of scale={scale}.')
        unknown = set(degradations) - set(DEGRADATIONS)
        if unknown or not degradations:
            raise ValueError(f'`degradations` must be a non-empty subset of {DEGRADATIONS}, '
                             f'got {tuple(degradations)}.')
        self.gt_size = int(gt_size)
        self.scale = int(scale)
        self.degradations = list(degradations)
        self.photo_scale = float(photo_scale)
        self.speed = [float(v) for v in speed]
        self.zoom = [float(v) for v in zoom]
        self.max_rotation = float(max_rotation)
        self.write_gt = bool(write_gt)

    @classmethod
    def smallest(cls, args: dict) -> dict:
        """One clip per split of at most 8 frames (the tiny configs' training length), GT
        64x64 (their crop); the splits, degradations and motion of ``args`` kept."""
        clips = args.get('clips') or dict(train=32, test=8)
        frames = args.get('num_frames') or dict(train=30, test=40)
        return {**args, 'clips': {split: 1 for split in clips},
                'num_frames': {split: min(n, 8) for split, n in frames.items()}, 'gt_size': 64}

    def params(self) -> dict:
        """The manifest's arguments; ``write_gt`` only when False, so that datasets written
        before the option existed keep matching their manifest."""
        params = super().params()
        if self.write_gt:
            params.pop('write_gt')
        return params

    def prepared_photo(self, name: str) -> np.ndarray:
        """The photograph resized so that its short side is ``photo_scale * gt_size``."""
        photo = load_photo(name)
        factor = self.photo_scale * self.gt_size / min(photo.shape[:2])
        size = (round(photo.shape[1] * factor), round(photo.shape[0] * factor))
        interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
        return cv2.resize(photo, size, interpolation=interpolation)

    def write(self, root: str, rng: np.random.Generator) -> None:
        """Writes every split's clips, LR versions, camera files and meta-info files."""
        os.makedirs(osp.join(root, 'camera'))
        photos = {name: self.prepared_photo(name)
                  for names in self.photos.values() for name in names}
        index = 0
        for split, num_clips in self.clips.items():
            lines = []
            for i in range(num_clips):
                clip = f'{index:03d}'
                index += 1
                name = self.photos[split][i % len(self.photos[split])]
                matrices = camera_path(self.num_frames[split], photos[name].shape[:2],
                                       self.gt_size, rng, self.speed, self.zoom,
                                       self.max_rotation)
                self.write_clip(root, clip, photos[name], matrices)
                with open(osp.join(root, 'camera', f'{clip}.json'), 'w') as f:
                    json.dump(dict(photo=name, split=split, scale=self.scale,
                                   matrices=matrices.round(10).tolist()), f)
                shape = f'({self.gt_size}, {self.gt_size}, 3)'
                lines += [f'{clip}/{t:08d}.png {shape}\n' for t in range(len(matrices))]
            with open(osp.join(root, f'meta_info_{split}_GT.txt'), 'w') as f:
                f.writelines(lines)

    def write_clip(self, root: str, clip: str, photo: np.ndarray,
                   matrices: np.ndarray) -> None:
        """Renders, degrades and writes the frames of one clip."""
        folders = ['GT'] * self.write_gt + [f'{kind}x{self.scale}' for kind in self.degradations]
        for folder in folders:
            os.makedirs(osp.join(root, folder, clip))
        for t, matrix in enumerate(matrices):
            gt = render_frame(photo, matrix, self.gt_size)
            images = [gt] * self.write_gt + [degrade(gt, kind, self.scale)
                                             for kind in self.degradations]
            for folder, image in zip(folders, images, strict=True):
                # Frames are RGB in memory; PNG files hold BGR for cv2 (mmagic reads rgb).
                cv2.imwrite(osp.join(root, folder, clip, f'{t:08d}.png'),
                            cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
