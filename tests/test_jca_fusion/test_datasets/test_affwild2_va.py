"""The Aff-Wild2 VA dataset: windows, labels, audio alignment and bad input."""
from __future__ import annotations

import glob
import os
import shutil
import wave

import numpy as np
import pytest

from projects.jca_fusion.datasets import (
    AffWild2VADataset,
    log_mel_spectrogram,
    mel_filterbank,
    read_va_labels,
)

ARGS = dict(fps=10, num_segments=4, segment_length=4, frames_per_segment=2,
            audio=dict(n_fft=512, win_length=320, hop_length=160, n_mels=32), train_stride=4)


def dataset(root: str, split: str = 'Train_Set', **kwargs) -> AffWild2VADataset:
    return AffWild2VADataset(ann_dir=f'annotations/{split}', data_root=root,
                             **{**ARGS, **kwargs})


def test_clip_shapes_and_labels(emotion_av_root):
    ds = dataset(emotion_av_root)
    item = ds[0]
    assert item['inputs']['video'].shape == (4, 3, 2, 48, 48)
    # 0.4 s sub-sequences at 100 mel frames per second.
    assert item['inputs']['audio'].shape == (4, 1, 32, 40)
    sample = item['data_samples']
    name, ends = sample.video, sample.frame_ids.numpy()
    labels = read_va_labels(f'{emotion_av_root}/annotations/Train_Set/{name}.txt')
    np.testing.assert_array_equal(np.diff(ends), 4)
    valid = sample.valid.numpy()
    np.testing.assert_allclose(sample.gt_valence.numpy()[valid], labels[ends[valid], 0])
    assert ((labels[ends[~valid]] == -5).all(1)).all()


def test_unlabelled_frames_are_masked(emotion_av_root):
    ds = dataset(emotion_av_root, train_stride=1)
    valid = np.concatenate([ds[i]['data_samples'].valid.numpy() for i in range(len(ds))])
    assert 0 < (~valid).sum() < len(valid)  # the embedded data has -5 stretches


def test_a_frame_labelled_in_one_dimension_is_kept_for_it(emotion_av_root, tmp_path):
    root = str(tmp_path / 'data')
    shutil.copytree(emotion_av_root, root)
    path = sorted(glob.glob(f'{root}/annotations/Train_Set/*.txt'))[0]
    name = os.path.splitext(os.path.basename(path))[0]
    labels = read_va_labels(path)
    labels[::2, 1] = -5.0   # arousal unlabelled on even frames, valence kept
    with open(path, 'w') as f:
        f.write('valence,arousal\n' + ''.join(f'{v:.4f},{a:.4f}\n' for v, a in labels))
    ds = dataset(root, train_stride=1)
    checked = 0
    for i in range(len(ds)):
        sample = ds[i]['data_samples']
        if sample.video != name:
            continue
        ends = sample.frame_ids.numpy()
        for j, end in enumerate(ends):
            if end < 0 or labels[end, 0] == -5:
                continue
            assert sample.valid[j]
            assert sample.gt_valence[j] == pytest.approx(labels[end, 0], abs=1e-6)
            assert sample.gt_arousal[j] == pytest.approx(labels[end, 1], abs=1e-6)
            checked += labels[end, 1] == -5
    assert checked > 0


def test_test_mode_predicts_every_frame_once(emotion_av_root):
    ds = dataset(emotion_av_root, split='Test_Set', test_mode=True, modalities=('audio', ))
    entries = [ds.get_data_info(i) for i in range(len(ds))]
    for name, info in ds.videos.items():
        ends = [ds.segment_ends(e['end']) for e in entries if e['video'] == name]
        ends = np.concatenate(ends)
        ends = np.sort(ends[ends >= 0])
        np.testing.assert_array_equal(ends, np.arange(info['num_frames']))


def test_missing_faces_repeat_the_previous_one(emotion_av_root):
    ds = dataset(emotion_av_root)
    total = 0
    for info in ds.videos.values():
        present = {int(f[:-4]) - 1 for f in os.listdir(info['face_dir'])}
        labels = info['labels']
        missing = [t for t in range(info['num_frames']) if t not in present]
        # The embedded data leaves out the faces of unlabelled frames, as Aff-Wild2 does.
        assert all((labels[t] == -5).all() for t in missing)
        total += len(missing)
        for t in missing:
            earlier = [p for p in present if p <= t]
            assert info['face_map'][t] == (max(earlier) if earlier else min(present))
    assert total > 0


def test_log_mel_of_a_tone_peaks_in_its_band():
    rate, freq = 16000, 1000.0
    tone = np.sin(2 * np.pi * freq * np.arange(rate) / rate).astype(np.float32)
    mel = log_mel_spectrogram(tone, rate, 512, 320, 160, 32)
    assert mel.shape == (32, 101)
    bank = mel_filterbank(rate, 512, 32)
    band = np.argmax(bank[:, int(round(freq / (rate / 512)))])
    assert np.argmax(mel[:, 50]) == band


def copy_split(src: str, dst: str) -> str:
    shutil.copytree(src, dst)
    return dst


def test_audio_video_length_mismatch_names_the_files(emotion_av_root, tmp_path):
    root = copy_split(emotion_av_root, str(tmp_path / 'data'))
    wav = f'{root}/audio/train_000.wav'
    with wave.open(wav, 'rb') as f:
        params, frames = f.getparams(), f.readframes(f.getnframes())
    with wave.open(wav, 'wb') as f:
        f.setparams(params)
        f.writeframes(frames[:len(frames) // 2])
    with pytest.raises(ValueError, match='length mismatch.*train_000.wav.*train_000.txt'):
        dataset(root)
    dataset(root, modalities=('visual', ))  # without audio the video is fine


def test_missing_label_file_is_named(emotion_av_root, tmp_path):
    listing = tmp_path / 'videos.txt'
    listing.write_text('train_000\ntrain_999\n')
    with pytest.raises(FileNotFoundError, match='train_999.txt'):
        dataset(emotion_av_root, ann_file=str(listing))
    with pytest.raises(FileNotFoundError, match='Missing annotation folder'):
        dataset(emotion_av_root, split='Nope_Set')


def test_missing_audio_and_bad_label_files(emotion_av_root, tmp_path):
    root = copy_split(emotion_av_root, str(tmp_path / 'data'))
    os.remove(f'{root}/audio/train_001.wav')
    with pytest.raises(FileNotFoundError, match='train_001.wav'):
        dataset(root)
    bad = tmp_path / 'bad.txt'
    bad.write_text('arousal,valence\n0.1,0.2\n')
    with pytest.raises(ValueError, match='"valence,arousal"'):
        read_va_labels(str(bad))
