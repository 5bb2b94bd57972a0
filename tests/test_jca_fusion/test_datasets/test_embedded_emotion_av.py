"""The emotional talking-faces builder (eSpeak NG speech, drawn faces, Aff-Wild2 layout)."""
from __future__ import annotations

import filecmp
import os

import numpy as np
import pytest

from projects.jca_fusion.datasets.embedded_emotion_av import EmotionAVBuilder, ESpeak, smooth_curve

SMALL = dict(videos={'train': 2, 'test': 1}, num_frames=(30, 40))


def test_layout_and_determinism(tmp_path):
    a = EmotionAVBuilder(root=str(tmp_path / 'a'), **SMALL).build()
    b = EmotionAVBuilder(root=str(tmp_path / 'b'), **SMALL).build()
    assert sorted(os.listdir(f'{a}/annotations')) == ['Test_Set', 'Train_Set']
    assert sorted(os.listdir(f'{a}/annotations/Train_Set')) == ['train_000.txt', 'train_001.txt']
    for rel in ('annotations/Train_Set/train_000.txt', 'cropped_aligned/train_001/00001.jpg',
                'latents/test_000.npz'):
        assert filecmp.cmp(f'{a}/{rel}', f'{b}/{rel}', shallow=False)
    # eSpeak NG is not bit-reproducible: same length, same utterance schedule.
    assert os.path.getsize(f'{a}/audio/test_000.wav') == os.path.getsize(f'{b}/audio/test_000.wav')
    lines = open(f'{a}/annotations/Train_Set/train_000.txt').read().split()
    assert lines[0] == 'valence,arousal'
    values = np.array([[float(x) for x in line.split(',')] for line in lines[1:]])
    assert 30 <= len(values) <= 40
    # The labels are the video's latents (4 decimals), -5 exactly on its unlabelled frames.
    latents = np.load(f'{a}/latents/train_000.npz')
    unlabelled = latents['unlabelled']
    assert 0 < unlabelled.sum() < len(values) and (values[unlabelled] == -5).all()
    curves = np.stack([latents['valence'], latents['arousal']], 1)
    np.testing.assert_allclose(values[~unlabelled], curves[~unlabelled], atol=5.1e-5)


def test_splits_come_from_disjoint_seeds(tmp_path):
    root = EmotionAVBuilder(root=str(tmp_path / 'd'), **SMALL).build()
    train = np.load(f'{root}/latents/train_000.npz')['valence']
    test = np.load(f'{root}/latents/test_000.npz')['valence']
    assert not np.allclose(train[:30], test[:30])


def test_speech_prosody_follows_the_parameters():
    espeak = ESpeak.get()
    slow = espeak.synth('hello there again', pitch=50, rate=100, volume=100)
    fast = espeak.synth('hello there again', pitch=50, rate=400, volume=100)
    loud = espeak.synth('hello there again', pitch=50, rate=100, volume=180)
    assert espeak.rate == 22050 and len(slow) > 1.8 * len(fast)
    assert np.abs(loud.astype(float)).mean() > 1.3 * np.abs(slow.astype(float)).mean()


def test_smooth_curve_and_bad_split():
    curve = smooth_curve(200, 10, np.random.default_rng(0))
    assert np.abs(np.diff(curve)).max() < 0.2
    # The time scale is in seconds: at twice the frame rate, every 2nd frame is the same curve.
    np.testing.assert_allclose(smooth_curve(400, 20, np.random.default_rng(0))[::2], curve)
    with pytest.raises(ValueError, match='Unknown splits'):
        EmotionAVBuilder(root='x', videos={'training': 3})
