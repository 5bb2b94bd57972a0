"""Embedded rare-word speech: eSpeak NG sentences with homophones, in manifest format.

Sentences come from :mod:`.rare_words`: each pairs a common word with a rare homophone
(night/knight, see/sea, right/write, ...) in contexts that decide the spelling. eSpeak NG
(the library the ``espeakng-loader`` wheel ships) pronounces both words alike, so the audio
cannot tell them apart:

- **train** transcripts use a rare-word context in only ``rare_fraction['train']`` of the
  sentences (the rare words are under-trained), voices ``TRAIN_VOICES``;
- **val** (the dev split for sweeping fusion weights) and **test** are mostly rare-word
  contexts, spoken by voices never heard in training (``VAL_VOICES``, ``TEST_VOICES``);
- **lm_text.txt** is the LM's text corpus, every context of both words equally often
  (:func:`.rare_words.lm_corpus`, the same text the tiny configs' ``RareWordCorpus`` makes).

Each utterance gets a random rate (words per minute) and pitch, a synthetic room response
(exponentially decaying noise, RT60 0.05-0.25 s, mixed with the dry signal) and white noise
at 15-30 dB SNR, all drawn from the builder's seed. On disk::

    ROOT/{train,val,test}_manifest.json   JSON lines: audio_filepath, duration, text, speaker
    ROOT/wavs/{split}/{index:06d}.wav     16 kHz 16-bit mono
    ROOT/lm_text.txt                      LM corpus, one sentence per line
    ROOT/rare_words.txt                   the rare words, one per line
    ROOT/mmplug_manifest.json

eSpeak NG is not bit-reproducible across library builds; rebuilding on the same machine gives
the same files.
"""
from __future__ import annotations

import json
import os
import os.path as osp
import wave

import numpy as np
from scipy.signal import fftconvolve, resample_poly

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder
from projects.common.datasets.speech import ESpeak
from projects.hat_mwer.datasets.rare_words import RARE_WORDS, lm_corpus, sample_sentences

TRAIN_VOICES = ('en+m1', 'en+f2', 'en-us+m3', 'en-us+f4', 'en-gb-x-rp+m2', 'en+m7')
VAL_VOICES = ('en-us-nyc+f1', 'en-029+m5')
TEST_VOICES = ('en-gb-scotland+f3', 'en-029+m4', 'en-us-nyc+m6')
def degrade(audio: np.ndarray, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Simple reverberation (decaying-noise room response) and white noise."""
    rt60 = rng.uniform(0.05, 0.25)
    n = int(rt60 * sample_rate)
    t = np.arange(n) / sample_rate
    rir = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    rir[0] = 1.0
    wet = fftconvolve(audio, rir / np.abs(rir).sum() * 4)[:len(audio)]
    mix = rng.uniform(0.2, 0.5)
    out = (1 - mix) * audio + mix * wet
    snr = rng.uniform(15, 30)
    power = np.mean(out ** 2) + 1e-12
    out = out + rng.standard_normal(len(out)) * np.sqrt(power / 10 ** (snr / 10))
    return out / max(1.0, np.abs(out).max() / 0.95)


@EMBEDDED_DATA.register_module()
class ESpeakRareWordsBuilder(EmbeddedDatasetBuilder):
    """Writes the rare-word speech corpus (see the module docstring).

    Args:
        root (str): Output folder.
        seed (int): Seed. Defaults to 0.
        utterances (dict[str, int]): Utterances per split. Defaults to
            ``{'train': 1200, 'val': 120, 'test': 240}``.
        rare_fraction (dict[str, float]): Share of rare-word contexts per split. Defaults to
            ``{'train': 0.03, 'val': 0.7, 'test': 0.7}``.
        lm_sentences (int): LM corpus size. Defaults to 20000.
        sample_rate (int): Defaults to 16000.
    """

    version = 1
    smallest_args = dict(utterances={'train': 8, 'val': 4, 'test': 4}, lm_sentences=200)

    def __init__(self, root: str, seed: int = 0, utterances: dict[str, int] | None = None,
                 rare_fraction: dict[str, float] | None = None, lm_sentences: int = 20000,
                 sample_rate: int = 16000) -> None:
        super().__init__(root, seed)
        self.utterances = dict(utterances or {'train': 1200, 'val': 120, 'test': 240})
        self.rare_fraction = dict(rare_fraction or {'train': 0.03, 'val': 0.7, 'test': 0.7})
        self.lm_sentences = lm_sentences
        self.sample_rate = sample_rate

    def write(self, root: str, rng: np.random.Generator) -> None:
        engine = ESpeak.get()
        voices = dict(train=TRAIN_VOICES, val=VAL_VOICES, test=TEST_VOICES)
        for s, (split, count) in enumerate(self.utterances.items()):
            texts = sample_sentences(count, self.rare_fraction[split], self.seed * 100 + s)
            os.makedirs(osp.join(root, 'wavs', split))
            lines = []
            for i, text in enumerate(texts):
                voice = voices[split][int(rng.integers(len(voices[split])))]
                raw = engine.synth(text, voice, int(rng.integers(140, 200)),
                                   int(rng.integers(30, 71))).astype(np.float64) / 32768.0
                audio = resample_poly(raw, self.sample_rate, engine.rate)
                audio = degrade(audio, self.sample_rate, rng)
                rel = osp.join('wavs', split, f'{i:06d}.wav')
                with wave.open(osp.join(root, rel), 'wb') as f:
                    f.setnchannels(1)
                    f.setsampwidth(2)
                    f.setframerate(self.sample_rate)
                    f.writeframes((audio * 32767).astype('<i2').tobytes())
                lines.append(json.dumps(dict(audio_filepath=rel,
                                             duration=round(len(audio) / self.sample_rate, 3),
                                             text=text, speaker=voice)))
            with open(osp.join(root, f'{split}_manifest.json'), 'w') as f:
                f.write('\n'.join(lines) + '\n')
        with open(osp.join(root, 'lm_text.txt'), 'w') as f:
            f.write('\n'.join(lm_corpus(self.lm_sentences)) + '\n')
        with open(osp.join(root, 'rare_words.txt'), 'w') as f:
            f.write('\n'.join(RARE_WORDS) + '\n')
