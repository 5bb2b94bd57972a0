"""LibriSpeech -> JSON-lines manifests, a rare-word list and the LM text for the paper configs.

Usage::

    python projects/hat_mwer/tools/data/librispeech_to_manifest.py \\
        --librispeech /path/to/LibriSpeech --out data/librispeech \\
        --lm-text /path/to/librispeech-lm-norm.txt [--convert]

Writes ``OUT/{train_960,dev_other,test_other,...}_manifest.json`` (audio_filepath, duration,
text, speaker), ``OUT/rare_words.txt`` (words seen at most ``--rare-max-count`` times in the
960 h transcripts but at least ``--lm-min-count`` times in the LM text) and a lower-cased copy
of the LM text ``OUT/librispeech-lm-norm.txt``. With ``--convert`` each flac becomes a 16 kHz
16-bit wav beside the manifest (``ffmpeg`` must be on PATH); otherwise the manifests point to
wav files you converted yourself at the same relative paths.
"""
from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import os.path as osp
import subprocess
import wave

SPLITS = dict(train_960=('train-clean-100', 'train-clean-360', 'train-other-500'),
              dev_clean=('dev-clean',), dev_other=('dev-other',), test_clean=('test-clean',),
              test_other=('test-other',))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--librispeech', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--lm-text', help='librispeech-lm-norm.txt (openslr 11)')
    parser.add_argument('--convert', action='store_true')
    parser.add_argument('--rare-max-count', type=int, default=5)
    parser.add_argument('--lm-min-count', type=int, default=20)
    args = parser.parse_args()
    if not osp.isdir(args.librispeech):
        raise FileNotFoundError(f'--librispeech {args.librispeech!r} is not a folder.')
    os.makedirs(args.out, exist_ok=True)
    train_counts: collections.Counter = collections.Counter()
    for name, parts in SPLITS.items():
        lines = []
        for part in parts:
            for trans in sorted(glob.glob(osp.join(args.librispeech, part, '*', '*',
                                                   '*.trans.txt'))):
                folder = osp.dirname(trans)
                for line in open(trans):
                    utt, text = line.strip().split(' ', 1)
                    text = text.lower()
                    rel = osp.join('wavs', part, f'{utt}.wav')
                    wav = osp.join(args.out, rel)
                    if args.convert and not osp.isfile(wav):
                        os.makedirs(osp.dirname(wav), exist_ok=True)
                        subprocess.run(['ffmpeg', '-loglevel', 'error', '-i',
                                        osp.join(folder, f'{utt}.flac'), '-ar', '16000',
                                        '-ac', '1', '-sample_fmt', 's16', wav], check=True)
                    duration = None
                    if osp.isfile(wav):
                        with wave.open(wav) as f:
                            duration = f.getnframes() / f.getframerate()
                    lines.append(json.dumps(dict(audio_filepath=rel, duration=duration,
                                                 text=text, speaker=utt.split('-')[0])))
                    if name == 'train_960':
                        train_counts.update(text.split())
        if not lines:
            print(f'{name}: no transcripts under {args.librispeech} (skipped)')
            continue
        with open(osp.join(args.out, f'{name}_manifest.json'), 'w') as f:
            f.write('\n'.join(lines) + '\n')
        print(f'{name}: {len(lines)} utterances')
    if args.lm_text:
        lm_counts: collections.Counter = collections.Counter()
        with open(args.lm_text) as src, \
                open(osp.join(args.out, 'librispeech-lm-norm.txt'), 'w') as dst:
            for line in src:
                line = line.strip().lower()
                lm_counts.update(line.split())
                dst.write(line + '\n')
        rare = sorted(w for w, c in lm_counts.items()
                      if c >= args.lm_min_count and train_counts[w] <= args.rare_max_count)
        with open(osp.join(args.out, 'rare_words.txt'), 'w') as f:
            f.write('\n'.join(rare) + '\n')
        print(f'{len(rare)} rare words')


if __name__ == '__main__':
    main()
