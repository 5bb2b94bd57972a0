"""Aff-Wild2 valence-arousal windows: face clips, log-mel snippets and per-frame labels."""
from __future__ import annotations

import os
import os.path as osp
from collections import OrderedDict
from collections.abc import Sequence

import cv2
import numpy as np
import torch
from mmaction.registry import DATASETS
from mmengine.dataset import BaseDataset
from mmengine.structures import BaseDataElement

from .audio import DB_FLOOR, log_mel_spectrogram, read_wav, wav_duration

IGNORE = -5.0


def read_va_labels(path: str) -> np.ndarray:
    """Reads an Aff-Wild2 VA annotation file: a "valence,arousal" header, one line per frame.

    Returns:
        np.ndarray: (num_frames, 2) float32; −5 marks frames without a label.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'Missing VA label file {path!r}.')
    with open(path) as f:
        lines = [line.strip() for line in f if line.strip()]
    if not lines or lines[0].replace(' ', '').lower() != 'valence,arousal':
        raise ValueError(f'{path!r} is not an Aff-Wild2 VA file: the first line must be '
                         f'"valence,arousal", got {lines[0] if lines else "nothing"!r}.')
    try:
        values = np.array([[float(v) for v in line.split(',')] for line in lines[1:]],
                          dtype=np.float32)
    except ValueError as e:
        raise ValueError(f'{path!r}: every line after the header must be "v,a" ({e}).') from e
    if values.ndim != 2 or values.shape[1] != 2:
        raise ValueError(f'{path!r}: every line after the header must hold two values.')
    return values


@DATASETS.register_module()
class AffWild2VADataset(BaseDataset):
    """Clips of L sub-sequences from Aff-Wild2-style videos (official windowing).

    On disk (the ABAW VA track layout)::

        data_root/ann_dir/<video>.txt          # "valence,arousal" + one "v,a" line per frame
        data_root/face_dir/<video>/00001.jpg   # cropped-aligned faces, 1-based frame numbers
        data_root/audio_dir/<video>.wav        # 16-bit PCM, aligned with frame 1

    A clip is a window of L·S frames cut into L sub-sequences of S = ``segment_length``
    frames; from each, ``frames_per_segment`` frames are taken every S / frames_per_segment
    frames, ending at the sub-sequence's last frame, and the log-mel spectrogram of the audio
    of those S frames is cut out. The target of a sub-sequence is the label of its last frame
    (windowing of the official ``datasets/dataset_new.py``); −5 labels are masked per
    dimension, not dropped, so windows stay contiguous and a frame labelled in one dimension
    only still trains that dimension.
    Frames whose face image is missing (no face detected) show the nearest earlier face.
    Indices before the first frame repeat frame 1 and pad the audio with silence.

    Training windows end every ``train_stride`` frames. In test mode the windows tile each
    video so that every frame ends exactly one sub-sequence (the windows ending at
    T−1−j−n·L·S for j < S): one prediction per frame, as the official stride-1 validation, at
    1/L of its cost.

    Args:
        ann_dir (str): Folder of the label files of the split (relative to ``data_root``).
        data_root (str): Dataset root. Defaults to ''.
        ann_file (str): Optional text file listing the split's video names, one per line; by
            default every ``.txt`` in ``ann_dir``. Defaults to ''.
        face_dir (str): Folder of the per-video face-frame folders. Defaults to
            'cropped_aligned'.
        audio_dir (str): Folder of the per-video wav files. Defaults to 'audio'.
        fps (float): Video frame rate (label lines per second). Defaults to 30.0.
        num_segments (int): L. Defaults to 8.
        segment_length (int): S, frames per sub-sequence. Defaults to 32.
        frames_per_segment (int): Face frames sampled from each sub-sequence. Defaults to 8.
        face_size (int, optional): Resize faces to this side; None keeps them. Defaults to None.
        audio (dict): Log-mel settings ``n_fft``, ``win_length``, ``hop_length``, ``n_mels``
            (samples). Defaults to the official code's 1024 / 882 / 441 / 64 at 44.1 kHz.
        modalities (Sequence[str]): Inputs to load, of 'audio' and 'visual'.
            Defaults to ('audio', 'visual').
        train_stride (int): Frames between training windows. Defaults to 32.
        max_av_offset (float): Largest accepted difference, in seconds, between the audio
            length and the number of label lines / fps. Defaults to 0.5.
        max_cached_videos (int): Spectrograms kept in memory. Defaults to 16.
        **kwargs: Passed to :class:`mmengine.dataset.BaseDataset` (``pipeline``,
            ``test_mode``, ...).
    """

    METAINFO = dict(dimensions=('valence', 'arousal'))

    def __init__(self,
                 ann_dir: str,
                 data_root: str = '',
                 ann_file: str = '',
                 face_dir: str = 'cropped_aligned',
                 audio_dir: str = 'audio',
                 fps: float = 30.0,
                 num_segments: int = 8,
                 segment_length: int = 32,
                 frames_per_segment: int = 8,
                 face_size: int | None = None,
                 audio: dict | None = None,
                 modalities: Sequence[str] = ('audio', 'visual'),
                 train_stride: int = 32,
                 max_av_offset: float = 0.5,
                 max_cached_videos: int = 16,
                 **kwargs) -> None:
        if segment_length % frames_per_segment:
            raise ValueError(f'segment_length={segment_length} must be a multiple of '
                             f'frames_per_segment={frames_per_segment}.')
        unknown = set(modalities) - {'audio', 'visual'}
        if unknown or not modalities:
            raise ValueError(f"modalities must be a non-empty subset of ('audio', 'visual'), "
                             f'got {modalities!r}.')
        self.ann_dir = ann_dir
        self.face_dir = face_dir
        self.audio_dir = audio_dir
        self.fps = float(fps)
        self.num_segments = num_segments
        self.segment_length = segment_length
        self.frames_per_segment = frames_per_segment
        self.face_size = face_size
        self.audio_cfg = dict(n_fft=1024, win_length=882, hop_length=441, n_mels=64)
        self.audio_cfg.update(audio or {})
        self.modalities = tuple(modalities)
        self.train_stride = train_stride
        self.max_av_offset = max_av_offset
        self.max_cached_videos = max_cached_videos
        self.videos: dict[str, dict] = {}
        self._mel_cache: OrderedDict[str, tuple[np.ndarray, int]] = OrderedDict()
        super().__init__(ann_file=ann_file, data_root=data_root, **kwargs)

    def _path(self, *parts: str) -> str:
        return osp.join(self.data_root, *parts)

    def _video_names(self) -> list[str]:
        ann_dir = self._path(self.ann_dir)
        if self.ann_file:
            with open(self.ann_file) as f:
                return [line.strip() for line in f if line.strip()]
        if not osp.isdir(ann_dir):
            raise FileNotFoundError(f'Missing annotation folder {ann_dir!r}.')
        return sorted(name[:-4] for name in os.listdir(ann_dir) if name.endswith('.txt'))

    def _load_video(self, name: str) -> dict:
        """Reads the labels and checks the faces and audio of one video."""
        label_path = self._path(self.ann_dir, f'{name}.txt')
        labels = read_va_labels(label_path)
        num_frames = len(labels)
        info = dict(labels=labels, num_frames=num_frames)
        if 'visual' in self.modalities:
            face_dir = self._path(self.face_dir, name)
            if not osp.isdir(face_dir):
                raise FileNotFoundError(f'Missing face folder {face_dir!r} for {label_path!r}.')
            found = sorted(int(f[:-4]) - 1 for f in os.listdir(face_dir) if f.endswith('.jpg'))
            if not found:
                raise FileNotFoundError(f'No face images (.jpg) in {face_dir!r}.')
            available = np.array(found)
            # Nearest earlier face for frames without one (no face detected).
            pos = np.searchsorted(available, np.arange(num_frames), side='right') - 1
            info['face_map'] = available[np.maximum(pos, 0)]
            info['face_dir'] = face_dir
        if 'audio' in self.modalities:
            wav = self._path(self.audio_dir, f'{name}.wav')
            if not osp.isfile(wav):
                raise FileNotFoundError(f'Missing audio file {wav!r} for {label_path!r}.')
            seconds = wav_duration(wav)
            if abs(seconds - num_frames / self.fps) > self.max_av_offset:
                raise ValueError(
                    f'Audio/video length mismatch: {wav!r} lasts {seconds:.2f} s but '
                    f'{label_path!r} has {num_frames} frames = {num_frames / self.fps:.2f} s '
                    f'at {self.fps:g} fps (tolerance {self.max_av_offset} s).')
            info['wav'] = wav
        return info

    def window_ends(self, num_frames: int, labels: np.ndarray) -> list[int]:
        """Last frames of the clips of one video (see the class docstring)."""
        step = self.num_segments * self.segment_length
        if self.test_mode:
            return sorted(e for j in range(min(self.segment_length, num_frames))
                          for e in range(num_frames - 1 - j, -1, -step))
        first = min(step, num_frames) - 1
        ends = range(first, num_frames, self.train_stride)
        labelled = (labels != IGNORE).any(1)
        return [e for e in ends if labelled[self.segment_ends(e).clip(0)].any()]

    def segment_ends(self, end: int) -> np.ndarray:
        """Last frame of each of the L sub-sequences of the clip ending at ``end``."""
        return end - self.segment_length * np.arange(self.num_segments - 1, -1, -1)

    def load_data_list(self) -> list[dict]:
        """One entry per clip: the video name and the clip's last frame."""
        data_list = []
        for name in self._video_names():
            info = self._load_video(name)
            self.videos[name] = info
            data_list += [dict(video=name, end=int(e))
                          for e in self.window_ends(info['num_frames'], info['labels'])]
        return data_list

    def _mel(self, name: str) -> tuple[np.ndarray, int]:
        """The whole video's log-mel spectrogram and sample rate (LRU-cached)."""
        if name in self._mel_cache:
            self._mel_cache.move_to_end(name)
            return self._mel_cache[name]
        samples, rate = read_wav(self.videos[name]['wav'])
        mel = (log_mel_spectrogram(samples, rate, **self.audio_cfg), rate)
        self._mel_cache[name] = mel
        if len(self._mel_cache) > self.max_cached_videos:
            self._mel_cache.popitem(last=False)
        return mel

    def load_audio(self, name: str, ends: np.ndarray) -> torch.Tensor:
        """Log-mel snippets of the S frames ending at each sub-sequence end, (L, 1, M, F)."""
        mel, rate = self._mel(name)
        per_second = rate / self.audio_cfg['hop_length']
        width = int(round(self.segment_length / self.fps * per_second))
        snippets = np.full((len(ends), mel.shape[0], width), DB_FLOOR, np.float32)
        for i, end in enumerate(ends):
            stop = int(round((end + 1) / self.fps * per_second))
            start = stop - width
            lo, hi = max(start, 0), min(stop, mel.shape[1])
            if hi > lo:
                snippets[i, :, lo - start:hi - start] = mel[:, lo:hi]
        return torch.from_numpy(snippets).unsqueeze(1)

    def load_faces(self, name: str, ends: np.ndarray) -> torch.Tensor:
        """Face frames sampled from each sub-sequence, (L, 3, frames_per_segment, H, W) uint8."""
        info = self.videos[name]
        dilation = self.segment_length // self.frames_per_segment
        offsets = dilation * np.arange(self.frames_per_segment - 1, -1, -1)
        idx = (ends[:, None] - offsets[None]).clip(0, info['num_frames'] - 1)
        clips = []
        for row in idx:
            frames = []
            for i in info['face_map'][row]:
                path = osp.join(info['face_dir'], f'{i + 1:05d}.jpg')
                img = cv2.imread(path)
                if img is None:
                    raise OSError(f'Cannot read face image {path!r}.')
                if self.face_size and img.shape[:2] != (self.face_size, self.face_size):
                    img = cv2.resize(img, (self.face_size, self.face_size),
                                     interpolation=cv2.INTER_AREA)
                frames.append(img[..., ::-1])
            clips.append(np.stack(frames))                       # (T, H, W, 3) RGB
        return torch.from_numpy(np.ascontiguousarray(np.stack(clips))).permute(0, 4, 1, 2, 3)

    def prepare_data(self, idx: int) -> dict:
        """Loads clip ``idx``: inputs {'video', 'audio'} and a data sample with the labels."""
        entry = self.get_data_info(idx)
        name, info = entry['video'], self.videos[entry['video']]
        ends = self.segment_ends(entry['end'])
        labels = info['labels'][ends.clip(0)]
        # A step counts if either dimension is labelled; each dimension keeps its own −5
        # (the loss and the metric mask per dimension), padding steps get −5 in both.
        valid = (ends >= 0) & (labels != IGNORE).any(1)
        inputs = {}
        if 'visual' in self.modalities:
            inputs['video'] = self.load_faces(name, ends)
        if 'audio' in self.modalities:
            inputs['audio'] = self.load_audio(name, ends)
        labels = np.where(valid[:, None], labels, IGNORE)
        sample = BaseDataElement(
            metainfo=dict(video=name, num_frames=info['num_frames']),
            frame_ids=torch.from_numpy(ends),
            gt_valence=torch.from_numpy(labels[:, 0].copy()),
            gt_arousal=torch.from_numpy(labels[:, 1].copy()),
            valid=torch.from_numpy(valid))
        return self.pipeline(dict(inputs=inputs, data_samples=sample))
