"""Packing of continuous targets and stacking of tiled frames."""
from __future__ import annotations

import numpy as np
import torch
from mmpretrain.datasets.transforms import PackInputs
from mmpretrain.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackRegressionInputs(PackInputs):
    """mmpretrain's ``PackInputs`` that also stores ``gt_value`` (a list or array of floats
    from the annotation file) in the data sample as a float32 tensor (D,)."""

    def transform(self, results: dict) -> dict:
        packed = super().transform(results)
        if 'gt_value' in results:
            value = torch.as_tensor(results['gt_value'], dtype=torch.float32).reshape(-1)
            packed['data_samples'].set_field(value, 'gt_value')
        return packed


@TRANSFORMS.register_module()
class FramesToChannels:
    """Splits an image of ``num_frames`` frames tiled left to right, (H, W * T) or
    (H, W * T, 1), into a (H, W, T) image whose channels are the frames.

    Args:
        num_frames (int): Frames tiled in each image.
    """

    def __init__(self, num_frames: int) -> None:
        self.num_frames = num_frames

    def __call__(self, results: dict) -> dict:
        img = results['img']
        img = img[..., 0] if img.ndim == 3 else img
        height, width = img.shape
        if width % self.num_frames:
            raise ValueError(f"FramesToChannels: {results.get('img_path')} is {width} px wide, "
                             f'not a multiple of num_frames={self.num_frames}.')
        frames = img.reshape(height, self.num_frames, width // self.num_frames)
        results['img'] = np.ascontiguousarray(frames.transpose(0, 2, 1))
        results['img_shape'] = results['img'].shape[:2]
        return results
