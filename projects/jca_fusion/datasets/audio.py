"""Log-mel spectrograms in numpy, matching torchaudio's MelSpectrogram + AmplitudeToDB.

torchaudio is not part of the stack; this follows its defaults (centred frames with reflect
padding, periodic Hann window of ``win_length`` centred in ``n_fft``, power 2, HTK mel scale,
no filter normalisation, 10·log10 with a floor of 1e-10).
"""
from __future__ import annotations

import wave

import numpy as np

DB_FLOOR = -100.0  # 10·log10(1e-10): the value of silence, also used to pad before t = 0


def read_wav(path: str) -> tuple[np.ndarray, int]:
    """Reads a 16-bit PCM wav file (any channel count) as mono float32 in [−1, 1].

    Returns:
        tuple[np.ndarray, int]: The samples and the sample rate.
    """
    with wave.open(path, 'rb') as f:
        if f.getsampwidth() != 2:
            raise ValueError(f'{path!r}: only 16-bit PCM wav is supported, got '
                             f'{8 * f.getsampwidth()}-bit.')
        rate, channels = f.getframerate(), f.getnchannels()
        data = np.frombuffer(f.readframes(f.getnframes()), dtype='<i2')
    return data.reshape(-1, channels).mean(1).astype(np.float32) / 32768.0, rate


def wav_duration(path: str) -> float:
    """Length of a wav file in seconds, from its header."""
    with wave.open(path, 'rb') as f:
        return f.getnframes() / f.getframerate()


def mel_filterbank(sample_rate: int, n_fft: int, n_mels: int) -> np.ndarray:
    """Triangular HTK-mel filters from 0 Hz to Nyquist, (n_mels, n_fft // 2 + 1)."""
    def hz_to_mel(f):
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def mel_to_hz(m):
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    freqs = np.linspace(0, sample_rate / 2, n_fft // 2 + 1)
    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(sample_rate / 2), n_mels + 2))
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    up = (freqs[None] - lower) / (centre - lower)
    down = (upper - freqs[None]) / (upper - centre)
    return np.maximum(0.0, np.minimum(up, down))


def log_mel_spectrogram(samples: np.ndarray, sample_rate: int, n_fft: int, win_length: int,
                        hop_length: int, n_mels: int) -> np.ndarray:
    """Log-mel power spectrogram in dB.

    Args:
        samples (np.ndarray): Mono waveform, (N,).
        sample_rate (int): Samples per second.
        n_fft (int): FFT size.
        win_length (int): Hann window length (≤ n_fft).
        hop_length (int): Samples between frames; frame i is centred on sample i·hop_length.
        n_mels (int): Mel bands.

    Returns:
        np.ndarray: (n_mels, 1 + N // hop_length) float32.
    """
    pad = n_fft // 2
    mode = 'reflect' if len(samples) > pad else 'constant'
    padded = np.pad(samples.astype(np.float64), pad, mode=mode)
    window = np.zeros(n_fft)
    start = (n_fft - win_length) // 2
    window[start:start + win_length] = np.hanning(win_length + 1)[:-1]  # periodic Hann
    num = 1 + len(samples) // hop_length
    idx = np.arange(n_fft)[None] + hop_length * np.arange(num)[:, None]
    power = np.abs(np.fft.rfft(padded[idx] * window, axis=1)) ** 2
    mel = mel_filterbank(sample_rate, n_fft, n_mels) @ power.T
    return (10.0 * np.log10(np.maximum(mel, 1e-10))).astype(np.float32)
