"""Batching and normalisation of the audio-visual inputs."""
from __future__ import annotations

from collections.abc import Sequence

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseDataPreprocessor


@MODELS.register_module()
class AVDataPreprocessor(BaseDataPreprocessor):
    """Stacks the per-sample face clips and spectrograms and normalises them (the official
    T-BIOM code's face and log-mel normalisation).

    Args:
        video_mean (Sequence[float]): Per-channel mean of the RGB faces (0-255 scale).
            Defaults to the Kinetics mean of the T-BIOM code, (0.43216, 0.394666, 0.37645)·255.
        video_std (Sequence[float]): Per-channel std (0-255 scale). Defaults to the Kinetics
            std (0.22803, 0.22145, 0.216989)·255.
        audio_mean (float): Mean subtracted from the log-mel (dB). Defaults to −14.8.
        audio_std (float): Divisor of the log-mel. Defaults to 19.895.
    """

    def __init__(self,
                 video_mean: Sequence[float] = (110.2, 100.64, 95.99),
                 video_std: Sequence[float] = (58.15, 56.47, 55.33),
                 audio_mean: float = -14.8,
                 audio_std: float = 19.895) -> None:
        super().__init__()
        # Shaped for (B, L, C, T, H, W) clips.
        self.register_buffer('video_mean', torch.tensor(video_mean).view(1, 1, -1, 1, 1, 1),
                             persistent=False)
        self.register_buffer('video_std', torch.tensor(video_std).view(1, 1, -1, 1, 1, 1),
                             persistent=False)
        self.audio_mean = audio_mean
        self.audio_std = audio_std

    def forward(self, data: dict, training: bool = False) -> dict:
        """Stacks, moves to the device and normalises.

        Args:
            data (dict): ``inputs`` = {'video': list of (L, 3, T, H, W) uint8,
                'audio': list of (L, 1, M, F) float} (either may be absent) and
                ``data_samples``.
            training (bool): Unused; the normalisation does not depend on it.

        Returns:
            dict: ``inputs`` = {'video': (B, L, 3, T, H, W), 'audio': (B, L, 1, M, F)} float
            tensors, and the data samples.
        """
        data = self.cast_data(data)
        inputs = {}
        for key, value in data['inputs'].items():
            batch = torch.stack(list(value)) if not isinstance(value, torch.Tensor) else value
            if key == 'video':
                batch = (batch.float() - self.video_mean) / self.video_std
            else:
                batch = (batch.float() - self.audio_mean) / self.audio_std
            inputs[key] = batch
        return dict(inputs=inputs, data_samples=data.get('data_samples'))
