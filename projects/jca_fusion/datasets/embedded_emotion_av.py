"""Emotional talking faces: audio-visual valence/arousal regression in the Aff-Wild2 format.

Each video has two smooth latent curves, valence and arousal in (−1, 1), that drive both
modalities:

- **faces**, drawn frame by frame: the mouth curves up or down with valence, the eyes open
  wider and the head moves faster and further with arousal;
- **speech**, synthesised with the eSpeak NG library shipped in the ``espeakng-loader``
  wheel: short utterances whose pitch follows valence (and a little arousal), and whose rate
  and loudness follow arousal (and loudness a little valence), separated by pauses.

Each modality is degraded at random moments so that neither alone suffices: an occluder
hides the face for 1-3 s, noise bursts drown the speech, and pauses carry no speech at all.
Some stretches of frames are unlabelled (−5) and have no face image, as in Aff-Wild2 where
no face was detected. Every video is generated from its own seed (base seed, split, index),
so the splits are disjoint in generation seeds. Rebuilding gives identical labels, faces and
latents; the speech may differ by a few samples per utterance, as eSpeak NG is not
bit-reproducible.

On disk, the ABAW VA-track layout that ``AffWild2VADataset`` reads::

    ROOT/annotations/{Train_Set,Validation_Set,Test_Set}/<video>.txt  # "valence,arousal" + v,a
    ROOT/cropped_aligned/<video>/00001.jpg ...                         # RGB faces, 1-based
    ROOT/audio/<video>.wav                                             # 16-bit mono PCM
    ROOT/latents/<video>.npz       # clean latents and degradation masks, for analysis only
    ROOT/mmplug_manifest.json
"""
from __future__ import annotations

import os
import os.path as osp
import wave

import cv2
import numpy as np

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder
from projects.common.datasets.speech import ESpeak

SPLIT_DIRS = {'train': 'Train_Set', 'val': 'Validation_Set', 'test': 'Test_Set'}
WORDS = ('hello', 'today', 'really', 'maybe', 'never', 'always', 'morning', 'window', 'garden',
         'river', 'little', 'over', 'there', 'again', 'listen', 'people', 'water', 'yellow',
         'table', 'evening', 'simple', 'number', 'later', 'open', 'music', 'paper')
def smooth_curve(num: int, fps: float, rng: np.random.Generator) -> np.ndarray:
    """A smooth latent in (−1, 1): tanh of three slow sinusoids (0.02-0.2 Hz) and an offset."""
    t = np.arange(num) / fps
    x = rng.uniform(-0.5, 0.5) + sum(
        rng.uniform(0.3, 0.8) * np.sin(2 * np.pi * rng.uniform(0.02, 0.2) * t
                                       + rng.uniform(0, 2 * np.pi)) for _ in range(3))
    return np.tanh(x)


def random_segments(num: int, count: int, length: tuple[int, int],
                    rng: np.random.Generator) -> np.ndarray:
    """A boolean mask of ``count`` random stretches of ``length`` frames within ``num``."""
    mask = np.zeros(num, bool)
    for _ in range(count):
        size = int(rng.integers(length[0], length[1] + 1))
        start = int(rng.integers(0, max(num - size, 1)))
        mask[start:start + size] = True
    return mask


@EMBEDDED_DATA.register_module()
class EmotionAVBuilder(EmbeddedDatasetBuilder):
    """Writes the emotional talking-faces dataset (see the module docstring).

    Args:
        root (str): Output folder.
        seed (int): Base seed. Defaults to 0.
        videos (dict[str, int]): Videos per split. Defaults to
            ``{'train': 32, 'val': 8, 'test': 12}``.
        num_frames (tuple[int, int]): Range of the video length in frames. Defaults to
            (96, 160).
        fps (int): Frame rate. Defaults to 10.
        face_size (int): Side of the square face images. Defaults to 48.
        sample_rate (int): Sample rate of the wav files. Defaults to 16000.
        occlusions (int): Most face occlusions (1-3 s each) per video. Defaults to 2.
        noise_bursts (int): Most noise bursts (1-3 s each) per video. Defaults to 2.
        unlabelled (int): Most unlabelled stretches (3-15 frames, −5, no face) per video.
            Defaults to 2.
    """

    version = 1
    smallest_args = dict(videos={'train': 2, 'val': 1, 'test': 1}, num_frames=(40, 60))

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 videos: dict[str, int] | None = None,
                 num_frames: tuple[int, int] = (96, 160),
                 fps: int = 10,
                 face_size: int = 48,
                 sample_rate: int = 16000,
                 occlusions: int = 2,
                 noise_bursts: int = 2,
                 unlabelled: int = 2) -> None:
        super().__init__(root, seed)
        self.videos = dict(videos or {'train': 32, 'val': 8, 'test': 12})
        unknown = set(self.videos) - set(SPLIT_DIRS)
        if unknown:
            raise ValueError(f'Unknown splits {sorted(unknown)}; use {sorted(SPLIT_DIRS)}.')
        self.num_frames = list(num_frames)
        self.fps = fps
        self.face_size = face_size
        self.sample_rate = sample_rate
        self.occlusions = occlusions
        self.noise_bursts = noise_bursts
        self.unlabelled = unlabelled

    def write(self, root: str, rng: np.random.Generator) -> None:
        for sub in ('cropped_aligned', 'audio', 'latents'):
            os.makedirs(osp.join(root, sub))
        for split_id, (split, count) in enumerate(sorted(self.videos.items())):
            os.makedirs(osp.join(root, 'annotations', SPLIT_DIRS[split]))
            for i in range(count):
                # One stream per video: splits never share a generation seed.
                video_rng = np.random.default_rng([self.seed, split_id, i])
                self._write_video(root, split, f'{split}_{i:03d}', video_rng)

    def _write_video(self, root: str, split: str, name: str, rng: np.random.Generator) -> None:
        num = int(rng.integers(self.num_frames[0], self.num_frames[1] + 1))
        valence = smooth_curve(num, self.fps, rng)
        arousal = smooth_curve(num, self.fps, rng)
        fps = self.fps
        occluded = random_segments(num, int(rng.integers(1, self.occlusions + 1)),
                                   (fps, 3 * fps), rng) if self.occlusions else np.zeros(num, bool)
        unlabelled = random_segments(num, int(rng.integers(0, self.unlabelled + 1)), (3, 15), rng)
        faces = self._draw_faces(valence, arousal, occluded, rng)
        face_dir = osp.join(root, 'cropped_aligned', name)
        os.makedirs(face_dir)
        for t, face in enumerate(faces):
            if not unlabelled[t]:  # no face detected, no label: no image, as in Aff-Wild2
                cv2.imwrite(osp.join(face_dir, f'{t + 1:05d}.jpg'), face,
                            [cv2.IMWRITE_JPEG_QUALITY, 90])
        audio, noisy = self._speech(valence, arousal, num, rng)
        with wave.open(osp.join(root, 'audio', f'{name}.wav'), 'wb') as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(self.sample_rate)
            f.writeframes((np.clip(audio, -1, 1) * 32767).astype('<i2').tobytes())
        lines = ['valence,arousal'] + [
            '-5,-5' if unlabelled[t] else f'{valence[t]:.4f},{arousal[t]:.4f}'
            for t in range(num)]
        with open(osp.join(root, 'annotations', SPLIT_DIRS[split], f'{name}.txt'), 'w') as f:
            f.write('\n'.join(lines) + '\n')
        np.savez_compressed(osp.join(root, 'latents', f'{name}.npz'), valence=valence,
                            arousal=arousal, occluded=occluded, unlabelled=unlabelled,
                            noisy=noisy)

    def _draw_faces(self, valence: np.ndarray, arousal: np.ndarray, occluded: np.ndarray,
                    rng: np.random.Generator) -> list[np.ndarray]:
        """Draws the face frames (BGR uint8) at twice the size, then downsamples."""
        size = 2 * self.face_size
        unit = size / 96.0  # geometry is given for a 96-pixel canvas
        background = rng.uniform(40, 200, 3)
        skin = rng.uniform([60, 110, 150], [140, 180, 240])
        axes = (28 * unit * rng.uniform(0.9, 1.1), 36 * unit * rng.uniform(0.9, 1.1))
        occluder = rng.uniform(0, 255, 3).tolist()
        phase, frames = rng.uniform(0, 2 * np.pi, 2), []
        for v, a, hidden in zip(valence, arousal, occluded, strict=True):
            energy = (a + 1) / 2
            # Head motion: faster and wider with arousal.
            phase += 2 * np.pi * (0.1 + 0.9 * energy) / self.fps * np.array([1.0, 0.7])
            cx, cy = size / 2 + (2 + 8 * energy) * unit * np.sin(phase)
            img = np.empty((size, size, 3), np.float32)
            img[:] = background
            img = np.ascontiguousarray(img.astype(np.uint8))
            centre = (int(cx), int(cy))
            cv2.ellipse(img, centre, (int(axes[0]), int(axes[1])), 0, 0, 360,
                        skin.tolist(), -1, cv2.LINE_AA)
            for side in (-1, 1):  # eyes open wider with arousal
                eye = (int(cx + side * 12 * unit), int(cy - 8 * unit))
                cv2.ellipse(img, eye, (int(6 * unit), max(1, int((1 + 6 * energy) * unit))),
                            0, 0, 360, (250, 250, 250), -1, cv2.LINE_AA)
                cv2.circle(img, eye, max(1, int(2 * unit)), (30, 30, 30), -1, cv2.LINE_AA)
            # Mouth: corners rise with valence (a smile) and drop below zero (a frown).
            xs = np.linspace(-13, 13, 15)
            ys = 16 - v * 8 * ((xs / 13) ** 2 - 0.5)
            pts = np.stack([cx + xs * unit, cy + ys * unit], 1).astype(np.int32)
            cv2.polylines(img, [pts], False, (40, 40, 150), max(1, int(3 * unit)), cv2.LINE_AA)
            if hidden:  # an occluder (a hand, an object) over most of the face
                x0, y0 = int(cx - axes[0] - 4 * unit), int(cy - axes[1] * 0.6)
                cv2.rectangle(img, (x0, y0), (x0 + int(2.2 * axes[0]), size),
                              occluder, -1)
            small = cv2.resize(img, (self.face_size, self.face_size), interpolation=cv2.INTER_AREA)
            noise = rng.normal(0, 4, small.shape)
            frames.append(np.clip(small + noise, 0, 255).astype(np.uint8))
        return frames

    def _speech(self, valence: np.ndarray, arousal: np.ndarray, num: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Utterances whose prosody follows the latents, pauses and noise bursts.

        Returns:
            tuple[np.ndarray, np.ndarray]: The float waveform and the per-frame noise mask.
        """
        from scipy.signal import resample_poly
        espeak = ESpeak.get()
        sr, duration = self.sample_rate, num / self.fps
        total = int(round(duration * sr))
        audio = np.zeros(total)
        # eSpeak NG's output length varies by a few samples between calls (it is not
        # bit-reproducible), so the utterance schedule draws from its own stream: everything
        # else stays identical from build to build.
        speech_rng = np.random.default_rng(rng.integers(2**63))
        t = speech_rng.uniform(0.0, 0.4)
        while t < duration:
            frame = min(int(t * self.fps + 3), num - 1)  # prosody of the utterance's middle
            v, a = valence[frame], arousal[frame]
            words = ' '.join(speech_rng.choice(WORDS, int(speech_rng.integers(1, 4))))
            speech = espeak.synth(words, pitch=np.clip(50 + 35 * v + 10 * a, 2, 97),
                                  rate=175 + 110 * a, volume=100 + 60 * a + 15 * v)
            speech = resample_poly(speech.astype(np.float64) / 32768.0, sr, espeak.rate)
            start = int(t * sr)
            stop = min(start + len(speech), total)
            audio[start:stop] += speech[:stop - start]
            t += len(speech) / sr + speech_rng.uniform(0.1, 0.8)
        audio += rng.normal(0, 0.003, total)
        noisy = random_segments(num, int(rng.integers(1, self.noise_bursts + 1)),
                                (self.fps, 3 * self.fps), rng) if self.noise_bursts else \
            np.zeros(num, bool)
        per_frame = sr / self.fps
        for t in np.flatnonzero(noisy):
            lo, hi = int(t * per_frame), int((t + 1) * per_frame)
            audio[lo:hi] += rng.normal(0, 0.25, hi - lo)
        return audio, noisy
