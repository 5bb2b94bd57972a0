"""The official pre-processed NYUv2 / CityScapes format: one ``.npy`` file per sample and task.

As read by lorenmt/mtan ``im2im_pred/create_dataset.py`` (``NYUv2``)::

    DATA_ROOT/{train,val}/image/{i}.npy    # (H, W, 3) float in [0, 1]
    DATA_ROOT/{train,val}/label/{i}.npy    # (H, W) float class index, -1 = unlabelled
    DATA_ROOT/{train,val}/depth/{i}.npy    # (H, W, 1) float, 0 = invalid
    DATA_ROOT/{train,val}/normal/{i}.npy   # (H, W, 3) float unit normals, 0 = invalid

Samples are numbered 0..N-1 and N is the number of ``.npy`` files in ``image/``.
"""
from __future__ import annotations

import fnmatch
import os
import os.path as osp

from mmengine.dataset import BaseDataset

from ..registry import DATASETS

DEFAULT_FOLDERS = dict(img='image', seg='label', depth='depth', normal='normal')


@DATASETS.register_module()
class MultiTaskNpyDataset(BaseDataset):
    """Dense multi-task data in the official per-sample ``.npy`` format.

    Args:
        data_root (str): Dataset folder (holding ``train/`` and ``val/``).
        split (str): Sub-folder, ``'train'`` or ``'val'``. Defaults to ``'train'``.
        tasks (Sequence[str]): Ground truths to load. Defaults to
            ``('seg', 'depth', 'normal')``.
        folders (dict, optional): Folder of each field, updating ``{'img': 'image', 'seg':
            'label', 'depth': 'depth', 'normal': 'normal'}`` (e.g. ``seg='label_7'`` for the
            7-class CityScapes release).
        **kwargs: Passed to :class:`~mmengine.dataset.BaseDataset` (``pipeline``,
            ``test_mode``, ...).
    """

    def __init__(self, data_root: str, split: str = 'train',
                 tasks=('seg', 'depth', 'normal'), folders: dict | None = None,
                 **kwargs) -> None:
        self.split = split
        self.tasks = tuple(tasks)
        self.folders = {**DEFAULT_FOLDERS, **(folders or {})}
        super().__init__(data_root=data_root, **kwargs)

    def load_data_list(self) -> list[dict]:
        """One entry per sample: the path of each field's ``.npy`` file."""
        root = osp.join(self.data_root, self.split)
        image_dir = osp.join(root, self.folders['img'])
        if not osp.isdir(image_dir):
            raise FileNotFoundError(
                f'{image_dir!r} not found: data_root={self.data_root!r}, split={self.split!r} '
                'must hold the official pre-processed data (see projects/mtan/tools/data/'
                'README.md).')
        num = len(fnmatch.filter(os.listdir(image_dir), '*.npy'))
        for field in ('img', *self.tasks):
            folder = osp.join(root, self.folders[field])
            if not osp.isfile(osp.join(folder, f'{num - 1}.npy')):
                raise FileNotFoundError(
                    f'{folder!r} lacks {num - 1}.npy ({num} images in {image_dir!r}); set '
                    f'`folders.{field}` of the dataset to the folder of that field.')
        return [dict(sample_idx=i, tasks=self.tasks,
                     **{f'{field}_path': osp.join(root, self.folders[field], f'{i}.npy')
                        for field in ('img', *self.tasks)})
                for i in range(num)]
