"""The frame-level CCC metric."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from projects.jca_fusion.evaluation import CCCMetric, ccc


def numpy_ccc(x: np.ndarray, y: np.ndarray) -> float:
    return 2 * np.cov(x, y, bias=True)[0, 1] / (x.var() + y.var() + (x.mean() - y.mean()) ** 2)


def clip_samples(video: str, pred: np.ndarray, gt: np.ndarray, length: int = 4) -> list[dict]:
    """Cuts a per-frame sequence into clips of ``length`` sub-sequence ends (as evaluated)."""
    samples = []
    for start in range(0, len(pred), length):
        ids = np.arange(start, min(start + length, len(pred)))
        samples.append(dict(video=video, frame_ids=torch.tensor(ids),
                            pred_valence=torch.tensor(pred[ids]),
                            pred_arousal=torch.tensor(-pred[ids]),
                            gt_valence=torch.tensor(gt[ids]),
                            gt_arousal=torch.tensor(np.where(gt[ids] == -5, -5, -gt[ids]))))
    return samples


def evaluate(metric: CCCMetric, samples: list[dict]) -> dict:
    metric.process({}, samples)
    return metric.compute_metrics(metric.results)


def test_ccc_equals_numpy_over_all_videos_and_ignores_unlabelled_frames():
    rng = np.random.default_rng(0)
    gt = [0.4 + 0.4 * np.tanh(rng.normal(size=n)) for n in (30, 21)]
    pred = [0.7 * g + 0.2 * rng.normal(size=len(g)) for g in gt]
    gt[0][5:9] = -5.0   # unlabelled frames with arbitrary predictions
    gt[1][:3] = -5.0
    samples = clip_samples('a', pred[0], gt[0]) + clip_samples('b', pred[1], gt[1])
    out = evaluate(CCCMetric(), samples)
    keep = [g != -5 for g in gt]
    p = np.concatenate([x[k] for x, k in zip(pred, keep, strict=True)])
    g = np.concatenate([x[k] for x, k in zip(gt, keep, strict=True)])
    assert out['valence'] == pytest.approx(numpy_ccc(p, g), rel=1e-9)
    assert out['arousal'] == pytest.approx(numpy_ccc(-p, -g), rel=1e-9)
    assert out['mean'] == pytest.approx((out['valence'] + out['arousal']) / 2)
    # Counting the -5 frames (the official val.py bug, as zeros) gives another number.
    zeros_p = np.concatenate([np.where(k, x, 0) for x, k in zip(pred, keep, strict=True)])
    zeros_g = np.concatenate([np.where(k, x, 0) for x, k in zip(gt, keep, strict=True)])
    assert abs(out['valence'] - numpy_ccc(zeros_p, zeros_g)) > 1e-3


def test_repeated_frames_are_averaged_and_padding_dropped():
    gt = np.linspace(-0.5, 0.5, 6)
    samples = [
        dict(video='a', frame_ids=torch.tensor([-2, 0, 2, 4]),
             pred_valence=torch.tensor([9.0, 0.1, 0.3, 0.5]),
             gt_valence=torch.tensor([-5.0, gt[0], gt[2], gt[4]])),
        dict(video='a', frame_ids=torch.tensor([1, 3, 5, 4]),
             pred_valence=torch.tensor([0.2, 0.4, 0.6, 0.7]),
             gt_valence=torch.tensor([gt[1], gt[3], gt[5], gt[4]]))]
    metric = CCCMetric(dimensions=('valence', ))
    metric.process({}, samples)
    seq = metric.frame_sequences(metric.results)['a']
    np.testing.assert_array_equal(seq['frame_ids'], np.arange(6))
    np.testing.assert_allclose(seq['pred_valence'], [0.1, 0.2, 0.3, 0.4, 0.6, 0.6])
    out = metric.compute_metrics(metric.results)
    assert out['valence'] == pytest.approx(ccc(seq['pred_valence'], gt))


def test_clipping_and_smoothing():
    gt = np.sin(np.linspace(0, 6, 40))
    pred = 3 * gt
    plain = evaluate(CCCMetric(clip=False), clip_samples('a', pred, gt))
    clipped = evaluate(CCCMetric(), clip_samples('a', pred, gt))
    assert clipped['valence'] > plain['valence']
    smoothed = evaluate(CCCMetric(smooth=dict(valence=5)), clip_samples('a', pred, gt))
    assert smoothed['arousal'] == pytest.approx(clipped['arousal'])


def test_smoothing_window_on_a_hand_made_case():
    # Window 3, zero padding at each video's borders, before the -5 frames are left out:
    # a = [.3, 0, .6, .3, .9, .6] -> [.1, .3, .3, .6, .6, .5], b = [.6, 0, .3] -> [.2, .3, .1].
    pred_a, pred_b = np.array([0.3, 0.0, 0.6, 0.3, 0.9, 0.6]), np.array([0.6, 0.0, 0.3])
    gt_a, gt_b = np.array([0.1, 0.2, -5.0, 0.5, 0.4, 0.6]), np.array([0.3, 0.1, 0.2])
    samples = clip_samples('a', pred_a, gt_a) + clip_samples('b', pred_b, gt_b)
    out = evaluate(CCCMetric(smooth=dict(valence=3)), samples)
    by_hand = np.array([0.1, 0.3, 0.6, 0.6, 0.5, 0.2, 0.3, 0.1])  # frame 2 of 'a' left out
    gt = np.array([0.1, 0.2, 0.5, 0.4, 0.6, 0.3, 0.1, 0.2])
    assert out['valence'] == pytest.approx(numpy_ccc(by_hand, gt), rel=1e-9)
    unsmoothed = np.array([0.3, 0.0, 0.3, 0.9, 0.6, 0.6, 0.0, 0.3])
    assert out['arousal'] == pytest.approx(numpy_ccc(-unsmoothed, -gt), rel=1e-9)
