"""Batches images and moves data samples to the model's device."""
from __future__ import annotations

from collections.abc import Sequence

import torch
from mmengine.model import BaseDataPreprocessor

from ..registry import MODELS


@MODELS.register_module()
class MultiTaskDataPreprocessor(BaseDataPreprocessor):
    """Stacks the images of a batch as float and normalises them.

    The official pre-processed NYUv2 and CityScapes images are float arrays in [0, 1] that
    the official training feeds unnormalised, so the defaults change nothing.

    Args:
        mean (Sequence[float], optional): Per-channel mean subtracted. Defaults to None.
        std (Sequence[float], optional): Per-channel std divided by. Defaults to None.
    """

    def __init__(self, mean: Sequence[float] | None = None,
                 std: Sequence[float] | None = None) -> None:
        super().__init__()
        self.normalize = mean is not None
        if self.normalize:
            if std is None or len(mean) != len(std):
                raise ValueError(f'data_preprocessor: mean={mean} needs a std of the same '
                                 f'length, got std={std}.')
            self.register_buffer('mean', torch.tensor(mean).view(-1, 1, 1), False)
            self.register_buffer('std', torch.tensor(std).view(-1, 1, 1), False)

    def forward(self, data: dict, training: bool = False) -> dict:
        """``dict(inputs=(B, C, H, W) float, data_samples=[...])`` on the device."""
        data = self.cast_data(data)
        inputs = data['inputs']
        if isinstance(inputs, (list, tuple)):
            inputs = torch.stack(list(inputs))
        inputs = inputs.float()
        if self.normalize:
            inputs = (inputs - self.mean) / self.std
        return dict(inputs=inputs, data_samples=data.get('data_samples'))
