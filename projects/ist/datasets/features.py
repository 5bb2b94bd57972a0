"""A classification dataset stored as one features file per split.

Format (written by ``tools/data/speech_commands_to_features.py`` and by the embedded
builder of the tiny configs)::

    ROOT/{split}.npz     features: float32 [N, D] (one flattened feature vector per sample)
                         labels:   int64   [N]    (class index in [0, num_classes))

The speech features of the paper are 128 mel bands x 32 frames of dB power, flattened to
D = 4096 (IST_Release ``google_speech_data_loader.py``).
"""
from __future__ import annotations

import os.path as osp

import numpy as np
import torch
from mmengine.dataset import BaseDataset
from mmengine.structures import BaseDataElement

from ..registry import DATASETS


@DATASETS.register_module()
class FeaturesDataset(BaseDataset):
    """Samples of a features file: ``inputs`` a float tensor [D], ``data_samples`` a
    ``BaseDataElement`` with ``gt_label`` (a 0-d int64 tensor).

    Args:
        ann_file (str): The ``.npz`` file (see the module docstring).
        num_features (int | None): Expected D; a file of another width raises an error.
            Defaults to None (any).
        **kwargs: Passed to :class:`mmengine.dataset.BaseDataset`.
    """

    def __init__(self, ann_file: str, num_features: int | None = None, **kwargs) -> None:
        self.num_features = num_features
        super().__init__(ann_file=ann_file, **kwargs)

    def load_data_list(self) -> list[dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'Features file {self.ann_file!r} not found: convert the data with '
                'projects/ist/tools/data/speech_commands_to_features.py (see '
                'projects/ist/tools/data/README.md) or use a tiny config.')
        with np.load(self.ann_file) as data:
            if 'features' not in data or 'labels' not in data:
                raise KeyError(f'{self.ann_file!r} needs the arrays "features" [N, D] and '
                               f'"labels" [N]; it has {sorted(data.files)}.')
            features, labels = data['features'], data['labels']
        if features.ndim != 2 or len(features) != len(labels):
            raise ValueError(f'{self.ann_file!r}: features {features.shape} and labels '
                             f'{labels.shape} must be [N, D] and [N].')
        if self.num_features is not None and features.shape[1] != self.num_features:
            raise ValueError(f'{self.ann_file!r} has {features.shape[1]} features per sample, '
                             f'the config expects num_features={self.num_features}.')
        return [dict(features=f, gt_label=int(y))
                for f, y in zip(features.astype(np.float32), labels.astype(np.int64), strict=False)]

    def prepare_data(self, idx: int) -> dict:
        info = self.get_data_info(idx)
        sample = BaseDataElement(gt_label=torch.tensor(info['gt_label']))
        return dict(inputs=torch.from_numpy(info['features']), data_samples=sample)
