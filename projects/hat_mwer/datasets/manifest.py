"""Speech manifests in the NeMo / ESPnet JSON-lines style.

One JSON object per line::

    {"audio_filepath": "wavs/train/000001.wav", "duration": 1.62, "text": "the brave knight"}

``audio_filepath`` is absolute or relative to ``data_root``; audio is 16-bit PCM mono wav
(LibriSpeech's flac converts with ``tools/data/librispeech_to_manifest.py``).
"""
from __future__ import annotations

import json
import os.path as osp
import wave

import numpy as np
import torch
from mmengine.dataset import BaseDataset
from mmengine.structures import BaseDataElement

from ..models.tokenizer import CharTokenizer
from ..registry import DATASETS


def read_wav(path: str) -> tuple[np.ndarray, int]:
    """16-bit mono PCM samples scaled to [-1, 1] and the sample rate."""
    with wave.open(path, 'rb') as f:
        if f.getsampwidth() != 2 or f.getnchannels() != 1:
            raise ValueError(f'{path!r}: expected 16-bit mono PCM wav, got '
                             f'{8 * f.getsampwidth()}-bit, {f.getnchannels()} channels.')
        data = np.frombuffer(f.readframes(f.getnframes()), dtype='<i2')
        return data.astype(np.float32) / 32768.0, f.getframerate()


@DATASETS.register_module()
class ASRManifestDataset(BaseDataset):
    """Utterances of a JSON-lines manifest: ``inputs`` a waveform [N], ``data_samples`` with
    ``gt_text`` (normalised) and ``gt_tokens`` (label ids padded with -1 to ``max_tokens``).

    Args:
        ann_file (str): The manifest (relative paths are under ``data_root``, as mmengine's
            ``BaseDataset`` joins them).
        data_root (str): Base of the manifest and of relative audio paths.
        sample_rate (int): Required sample rate. Defaults to 16000.
        max_tokens (int): Padded label width; longer transcripts raise. Defaults to 64.
        max_duration (float, optional): Utterances longer than this are skipped.
        chars (str, optional): Output alphabet (the model's).
        **kwargs: Passed to :class:`mmengine.dataset.BaseDataset`.
    """

    def __init__(self, ann_file: str, data_root: str = '', sample_rate: int = 16000,
                 max_tokens: int = 64, max_duration: float | None = None,
                 chars: str | None = None, **kwargs) -> None:
        self.sample_rate = sample_rate
        self.max_tokens = max_tokens
        self.max_duration = max_duration
        self.tokenizer = CharTokenizer(chars) if chars else CharTokenizer()
        super().__init__(ann_file=ann_file, data_root=data_root, **kwargs)

    def load_data_list(self) -> list[dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'Manifest {self.ann_file!r} not found: prepare it as described in '
                'projects/hat_mwer/tools/data/README.md, or use a tiny config.')
        out = []
        with open(self.ann_file) as f:
            for line_no, line in enumerate(f, 1):
                if not line.strip():
                    continue
                item = json.loads(line)
                missing = {'audio_filepath', 'text'} - set(item)
                if missing:
                    raise KeyError(f'{self.ann_file}:{line_no} lacks {sorted(missing)}.')
                if self.max_duration and item.get('duration', 0) > self.max_duration:
                    continue
                text = self.tokenizer.normalise(item['text'])
                tokens = self.tokenizer.encode(text)
                if len(tokens) > self.max_tokens:
                    raise ValueError(f'{self.ann_file}:{line_no}: {len(tokens)} characters > '
                                     f'max_tokens={self.max_tokens}; raise max_tokens or set '
                                     'max_duration.')
                path = item['audio_filepath']
                if not osp.isabs(path):
                    path = osp.join(self.data_root, path)
                out.append(dict(audio_path=path, text=text, tokens=tokens,
                                speaker=item.get('speaker', '')))
        return out

    def prepare_data(self, idx: int) -> dict:
        info = self.get_data_info(idx)
        audio, rate = read_wav(info['audio_path'])
        if rate != self.sample_rate:
            raise ValueError(f"{info['audio_path']!r} is {rate} Hz; the config expects "
                             f'sample_rate={self.sample_rate}. Resample the data.')
        tokens = torch.full((self.max_tokens,), -1, dtype=torch.long)
        tokens[:len(info['tokens'])] = torch.tensor(info['tokens'], dtype=torch.long)
        sample = BaseDataElement(gt_text=info['text'], gt_tokens=tokens,
                                 metainfo=dict(audio_path=info['audio_path'],
                                               speaker=info['speaker']))
        return dict(inputs=torch.from_numpy(audio), data_samples=sample)
