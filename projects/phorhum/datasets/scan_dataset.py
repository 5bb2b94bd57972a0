"""Scan renders in the layout of PIFu's RenderPeople training data, extended with albedo.

PIFu (shunsukesaito/PIFu ``apps/render_data.py``, ``lib/data/TrainDataset.py``) renders each
textured scan into ``RENDER/``, ``MASK/`` and ``PARAM/`` folders per subject, one file per
view named ``{yaw}_{pitch}_{light}``; PHORHUM additionally needs albedo renders, shaded
renders of the front and back views and per-point samples of the scan. The layout read
here (``{yaw}`` 0 is the input view, 180 the back view)::

    ROOT/{split}.txt                        # one subject name per line
    ROOT/RENDER/{subject}/0_0_00.png        # input image (shaded, over a background)
    ROOT/MASK/{subject}/{0,180}_0_00.png    # silhouettes
    ROOT/ALBEDO/{subject}/{0,180}_0_00.png  # albedo renders, black background
    ROOT/SHADED/{subject}/{0,180}_0_00.png  # shaded renders, black background
    ROOT/PARAM/{subject}/0_0_00.json        # camera: {"projection": "orthographic",
                                            #   "center": [3], "scale": s, ...}
    ROOT/SAMPLES/{subject}.npz              # scan samples in world units:
        surface_points (N, 3), surface_normals (N, 3), surface_albedo (N, 3),
        surface_shaded (N, 3), space_points (M, 3), space_inside (M,)

World points map to the model's cube by ``(x - center) * scale``; the orthographic front
view then sees x = u, y = -v (``projects/phorhum/models/rendering.py``).
"""
from __future__ import annotations

import json
import os.path as osp

import mmcv
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.dataset import BaseDataset
from mmengine.structures import BaseDataElement

from ..registry import DATASETS, TRANSFORMS

VIEWS = {'': '0_0_00', '_back': '180_0_00'}
SAMPLE_KEYS = ('surface_points', 'surface_normals', 'surface_albedo', 'surface_shaded',
               'space_points', 'space_inside')


@DATASETS.register_module()
class ScanRenderDataset(BaseDataset):
    """Subjects listed in ``{split}.txt`` under ``data_root`` (layout in the module doc).

    Args:
        data_root (str): Dataset folder.
        split (str): Subject list to read, ``ROOT/{split}.txt``. Defaults to ``'train'``.
        **kwargs: Passed to :class:`~mmengine.dataset.BaseDataset`.
    """

    def __init__(self, data_root: str, split: str = 'train', **kwargs) -> None:
        self.split = split
        super().__init__(data_root=data_root, **kwargs)

    def load_data_list(self) -> list[dict]:
        path = osp.join(self.data_root, f'{self.split}.txt')
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{path!r} not found: data_root={self.data_root!r} must hold {self.split}.txt '
                'and the folders of projects/phorhum/tools/data/README.md.')
        with open(path) as f:
            subjects = [line.strip() for line in f if line.strip()]
        return [dict(sample_idx=i, subject=s, data_root=self.data_root)
                for i, s in enumerate(subjects)]


@TRANSFORMS.register_module()
class LoadScanRender(BaseTransform):
    """Loads a subject's renders, camera and a random subset of its scan samples.

    Args:
        num_surface (int): Surface samples kept. Defaults to 512.
        num_space (int): Space samples kept. Defaults to 512.
    """

    def __init__(self, num_surface: int = 512, num_space: int = 512) -> None:
        self.num_surface = num_surface
        self.num_space = num_space

    @staticmethod
    def _image(root: str, folder: str, subject: str, view: str, flag: str) -> np.ndarray:
        path = osp.join(root, folder, subject, f'{view}.png')
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path!r} is missing (layout: projects/phorhum/tools/'
                                    'data/README.md)')
        return mmcv.imread(path, flag=flag, channel_order='rgb')

    def transform(self, results: dict) -> dict:
        root, subject = results['data_root'], results['subject']
        results['img'] = self._image(root, 'RENDER', subject, VIEWS[''], 'color')
        for suffix, view in VIEWS.items():
            for folder in ('ALBEDO', 'SHADED'):
                results[f'gt_{folder.lower()}{suffix}'] = self._image(
                    root, folder, subject, view, 'color').astype(np.float32) / 255
            results[f'gt_mask{suffix}'] = (self._image(
                root, 'MASK', subject, view, 'grayscale') > 127).astype(np.float32)[..., None]
        with open(osp.join(root, 'PARAM', subject, f"{VIEWS['']}.json")) as f:
            camera = json.load(f)
        if camera.get('projection') != 'orthographic':
            raise ValueError(f'{subject}: only orthographic cameras are supported, got '
                             f"{camera.get('projection')!r}")
        samples = np.load(osp.join(root, 'SAMPLES', f'{subject}.npz'))
        center = np.asarray(camera['center'], np.float32)
        scale = float(camera['scale'])
        for key, num in (('surface', self.num_surface), ('space', self.num_space)):
            total = len(samples[f'{key}_points'])
            idx = np.random.choice(total, num, replace=num > total)
            for name in SAMPLE_KEYS:
                if name.startswith(key):
                    value = samples[name][idx].astype(np.float32)
                    results[name] = (value - center) * scale if name.endswith('_points') \
                        else value
        results['camera'] = camera
        return results


@TRANSFORMS.register_module()
class PackPhorhumInputs(BaseTransform):
    """``inputs``: (3, H, W) uint8 image; ``data_samples``: a :class:`BaseDataElement` with
    the (C, H, W) ground-truth renders ``gt_{albedo,shaded,mask}[_back]`` and the scan
    samples, the subject and its camera as metainfo."""

    def transform(self, results: dict) -> dict:
        image = torch.from_numpy(np.ascontiguousarray(results['img'].transpose(2, 0, 1)))
        sample = BaseDataElement(metainfo=dict(subject=results['subject'],
                                               camera=results['camera']))
        for suffix in VIEWS:
            for key in ('albedo', 'shaded', 'mask'):
                value = results[f'gt_{key}{suffix}'].transpose(2, 0, 1)
                sample.set_field(torch.from_numpy(np.ascontiguousarray(value)),
                                 f'gt_{key}{suffix}')
        for name in SAMPLE_KEYS:
            sample.set_field(torch.from_numpy(results[name]), name)
        return dict(inputs=image, data_samples=sample)
