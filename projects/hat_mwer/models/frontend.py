"""Log-mel front end as the data preprocessor: padding, STFT, mel filterbank, frame stacking."""
from __future__ import annotations

import math

import torch
from mmengine.model import BaseDataPreprocessor

from ..registry import MODELS


def mel_filterbank(num_mels: int, n_fft: int, sample_rate: int, f_min: float = 0.0,
                   f_max: float | None = None) -> torch.Tensor:
    """Triangular HTK-mel filters [num_mels, n_fft // 2 + 1] (mel = 2595 log10(1 + f/700))."""
    f_max = f_max or sample_rate / 2

    def mel(f):
        return 2595.0 * math.log10(1.0 + f / 700.0)

    points = torch.linspace(mel(f_min), mel(f_max), num_mels + 2)
    hz = 700.0 * (10 ** (points / 2595.0) - 1.0)
    freqs = torch.linspace(0, sample_rate / 2, n_fft // 2 + 1)
    lower, center, upper = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    up = (freqs[None] - lower) / (center - lower)
    down = (upper - freqs[None]) / (upper - center)
    return torch.clamp(torch.minimum(up, down), min=0.0)


@MODELS.register_module()
class LogMelPreprocessor(BaseDataPreprocessor):
    """Waveforms (a list of 1-D tensors) -> normalised, stacked log-mel frames.

    Output ``inputs`` is [B, T', num_mels * stack] with ``T' = ceil(T / stack)``; each data
    sample gets ``num_frames`` (its valid T').

    Args:
        sample_rate (int): Expected sample rate. Defaults to 16000.
        n_fft (int): Window and FFT size (25 ms at 16 kHz). Defaults to 400.
        hop_length (int): 10 ms at 16 kHz. Defaults to 160.
        num_mels (int): Defaults to 40.
        stack (int): Consecutive frames concatenated and subsampled (keeps T small).
            Defaults to 3.
    """

    def __init__(self, sample_rate: int = 16000, n_fft: int = 400, hop_length: int = 160,
                 num_mels: int = 40, stack: int = 3) -> None:
        super().__init__()
        self.n_fft, self.hop_length, self.stack = n_fft, hop_length, stack
        self.sample_rate = sample_rate
        self.register_buffer('fbank', mel_filterbank(num_mels, n_fft, sample_rate), False)
        self.register_buffer('window', torch.hann_window(n_fft), False)

    def forward(self, data: dict, training: bool = False) -> dict:
        waves = data['inputs']
        samples = data.get('data_samples')
        if isinstance(waves, torch.Tensor):
            waves = list(waves)
        lengths = torch.tensor([len(w) for w in waves])
        batch = torch.zeros(len(waves), int(lengths.max()))
        for i, w in enumerate(waves):
            batch[i, :len(w)] = w.float()
        batch = batch.to(self.device)
        spec = torch.stft(batch, self.n_fft, self.hop_length, window=self.window,
                          center=True, return_complex=True).abs() ** 2
        feats = torch.log(torch.matmul(self.fbank, spec) + 1e-6).transpose(1, 2)  # [B, T, M]
        frames = lengths // self.hop_length + 1
        mask = (torch.arange(feats.shape[1])[None] < frames[:, None]).to(self.device)
        # Per-utterance mean and variance normalisation over valid frames.
        count = mask.sum(1, keepdim=True)[..., None]
        mean = (feats * mask[..., None]).sum(1, keepdim=True) / count
        var = (((feats - mean) * mask[..., None]) ** 2).sum(1, keepdim=True) / count
        feats = ((feats - mean) / (var.sqrt() + 1e-5)) * mask[..., None]
        pad = (-feats.shape[1]) % self.stack
        feats = torch.nn.functional.pad(feats, (0, 0, 0, pad))
        b, t, m = feats.shape
        feats = feats.reshape(b, t // self.stack, self.stack * m)
        num_frames = (frames + self.stack - 1) // self.stack
        if samples is not None:
            for sample, n in zip(samples, num_frames.tolist(), strict=True):
                sample.set_field(torch.tensor(n), 'num_frames')
        return dict(inputs=feats, data_samples=samples)
