"""Loading and packing of dense multi-task samples."""
from __future__ import annotations

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from ..registry import TRANSFORMS
from ..structures import MultiTaskDataSample


@TRANSFORMS.register_module()
class LoadMultiTaskNpy(BaseTransform):
    """Loads ``img`` and each task's ground truth from their ``.npy`` files.

    Sets ``img`` (H, W, 3) float32, ``gt_seg`` (H, W) int64, ``gt_depth`` (H, W, 1) and
    ``gt_normal`` (H, W, 3) float32, for the tasks in ``results['tasks']``.
    """

    def transform(self, results: dict) -> dict:
        results['img'] = np.load(results['img_path']).astype(np.float32)
        for task in results['tasks']:
            array = np.load(results[f'{task}_path'])
            if task == 'seg':
                array = array.astype(np.int64)
            else:
                array = array.astype(np.float32)
                if array.ndim == 2:
                    array = array[..., None]
            results[f'gt_{task}'] = array
        return results


@TRANSFORMS.register_module()
class PackMultiTaskInputs(BaseTransform):
    """Packs ``inputs`` (3, H, W) and a :class:`MultiTaskDataSample` with channel-first
    ground truths."""

    def transform(self, results: dict) -> dict:
        sample = MultiTaskDataSample(metainfo=dict(sample_idx=results.get('sample_idx'),
                                                   img_path=results.get('img_path')))
        for task in results['tasks']:
            gt = torch.from_numpy(np.ascontiguousarray(results[f'gt_{task}']))
            sample.set_data({f'gt_{task}': gt if task == 'seg' else gt.permute(2, 0, 1)})
        inputs = torch.from_numpy(np.ascontiguousarray(results['img'].transpose(2, 0, 1)))
        return dict(inputs=inputs, data_samples=sample)
