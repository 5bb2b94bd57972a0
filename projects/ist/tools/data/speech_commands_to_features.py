"""Writes Google Speech Commands v0.02 (35 words) as the features files of the IST configs.

Two inputs are accepted:

* ``--official-cache DIR``: the ``train_x.npy``/``train_y.npy``/``test_x.npy``/``test_y.npy``
  that IST_Release's ``google_speech_data_loader.py`` (``pre_processing_dataset``) writes; they
  are only re-packed.
* ``--wav-root DIR``: the extracted dataset (one folder per word). Features are computed as
  that loader does (``mel_log``): clips of exactly 16000 samples, ``librosa`` mel spectrogram
  with 128 bands at the file's rate, ``power_to_db(ref=max)``, flattened (128 x 32 = 4096);
  the split is the dataset README's SHA1 rule with 20 % test (``which_set``). Needs librosa
  and scipy (``pip install librosa``).

Output: ``OUT/train.npz`` and ``OUT/test.npz`` with ``features`` float32 [N, 4096] and
``labels`` int64 [N] (``projects/ist/datasets/features.py``).

Example::

    python projects/ist/tools/data/speech_commands_to_features.py \
        --wav-root data/speech_commands_v0.02 --out data/speech_commands_features
"""
from __future__ import annotations

import argparse
import hashlib
import os
import os.path as osp
import re

import numpy as np

WORDS = ('backward', 'bed', 'bird', 'cat', 'dog', 'down', 'eight', 'five', 'follow', 'forward',
         'four', 'go', 'happy', 'house', 'learn', 'left', 'marvin', 'nine', 'no', 'off', 'on',
         'one', 'right', 'seven', 'sheila', 'six', 'stop', 'three', 'tree', 'two', 'up',
         'visual', 'wow', 'yes', 'zero')
MAX_PER_CLASS = 2**27 - 1


def is_test(filename: str, percentage: float = 20.0) -> bool:
    """The dataset README's split: a hash of the speaker part of the file name."""
    speaker = re.sub(r'_nohash_.*$', '', osp.basename(filename))
    value = int(hashlib.sha1(speaker.encode('utf-8')).hexdigest(), 16)
    return (value % (MAX_PER_CLASS + 1)) * (100.0 / MAX_PER_CLASS) < percentage


def from_wavs(root: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    import librosa
    from scipy.io import wavfile
    splits = {'train': ([], []), 'test': ([], [])}
    for label, word in enumerate(WORDS):
        folder = osp.join(root, word)
        if not osp.isdir(folder):
            raise FileNotFoundError(f'{folder!r} is missing: --wav-root must be the extracted '
                                    'Speech Commands v0.02 folder (one folder per word).')
        for name in sorted(f for f in os.listdir(folder) if f.endswith('.wav')):
            rate, wav = wavfile.read(osp.join(folder, name))
            if wav.shape[0] != 16000:
                continue
            mel = librosa.feature.melspectrogram(y=wav.astype(np.float64), sr=rate, n_mels=128)
            features, labels = splits['test' if is_test(name) else 'train']
            features.append(librosa.power_to_db(mel, ref=np.max).reshape(-1))
            labels.append(label)
    return {k: (np.stack(f), np.array(y)) for k, (f, y) in splits.items()}


def from_official_cache(root: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {split: (np.load(osp.join(root, f'{split}_x.npy')).reshape(
        -1, 4096), np.load(osp.join(root, f'{split}_y.npy'))) for split in ('train', 'test')}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--wav-root')
    source.add_argument('--official-cache')
    parser.add_argument('--out', default='data/speech_commands_features')
    args = parser.parse_args()
    splits = from_wavs(args.wav_root) if args.wav_root else from_official_cache(
        args.official_cache)
    os.makedirs(args.out, exist_ok=True)
    for split, (features, labels) in splits.items():
        np.savez(osp.join(args.out, f'{split}.npz'), features=features.astype(np.float32),
                 labels=labels.astype(np.int64))
        print(split, features.shape, 'written to', osp.join(args.out, f'{split}.npz'))


if __name__ == '__main__':
    main()
