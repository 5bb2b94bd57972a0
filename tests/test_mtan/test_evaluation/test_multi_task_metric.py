"""The multi-task metric on hand-made cases, against the official formulas."""
import math

import numpy as np
import pytest
import torch

from projects.mtan.evaluation import MultiTaskMetric


def sample(**fields):
    return {k: torch.as_tensor(v) for k, v in fields.items()}


def test_miou_and_pixel_accuracy_from_one_global_confusion_matrix():
    metric = MultiTaskMetric(tasks=('seg', ), num_classes=3)
    # Image 1: gt [0 0 1 -1], pred [0 1 1 2]; image 2 (its own batch): gt [2 2], pred [2 0].
    metric.process(None, [sample(gt_seg=[[0, 0], [1, -1]], pred_seg=[[0, 1], [1, 2]])])
    metric.process(None, [sample(gt_seg=[[2, 2]], pred_seg=[[2, 0]])])
    scores = metric.compute_metrics(metric.results)
    # Confusion (rows gt): class 0: TP 1, FN 1, FP 1; class 1: TP 1, FP 1; class 2: TP 1, FN 1.
    iou = [1 / 3, 1 / 2, 1 / 2]
    assert scores['mIoU'] == pytest.approx(100 * np.mean(iou))
    assert scores['pixel_acc'] == pytest.approx(100 * 3 / 5)  # the -1 pixel is not counted
    # The legacy per-image mean (paper) differs: image 2 alone has mIoU (0 + 1/2) / 2.
    assert scores['mIoU'] != pytest.approx(100 * np.mean([(1 / 2 + 1 / 2) / 2, 1 / 4]))


def test_official_conf_matrix_agrees():
    """lorenmt/mtan utils.ConfMatrix, written out: bincount of n * target + pred."""
    rng = np.random.default_rng(0)
    gt = rng.integers(-1, 4, size=(3, 6, 6))
    pred = rng.integers(0, 4, size=(3, 6, 6))
    metric = MultiTaskMetric(tasks=('seg', ), num_classes=4)
    for g, p in zip(gt, pred, strict=True):
        metric.process(None, [sample(gt_seg=g, pred_seg=p)])
    keep = gt >= 0
    mat = np.bincount(4 * gt[keep] + pred[keep], minlength=16).reshape(4, 4).astype(float)
    iu = np.diag(mat) / (mat.sum(1) + mat.sum(0) - np.diag(mat))
    scores = metric.compute_metrics(metric.results)
    assert scores['mIoU'] == pytest.approx(100 * iu.mean())
    assert scores['pixel_acc'] == pytest.approx(100 * np.diag(mat).sum() / mat.sum())


def test_depth_errors_average_valid_pixels_per_batch_then_batches():
    metric = MultiTaskMetric(tasks=('depth', ))
    # Batch 1: one valid pixel (gt 2, pred 3); batch 2: three valid pixels, errors 1, 1, 4.
    metric.process(None, [sample(gt_depth=[[[2.0, 0.0]]], pred_depth=[[[3.0, 9.0]]])])
    metric.process(None, [sample(gt_depth=[[[1.0, 1.0, 4.0]]], pred_depth=[[[2.0, 0.0, 8.0]]])])
    scores = metric.compute_metrics(metric.results)
    assert scores['depth_abs_err'] == pytest.approx((1.0 + 2.0) / 2)  # not (1+6)/4
    assert scores['depth_rel_err'] == pytest.approx((0.5 + (1 + 1 + 1) / 3) / 2)


def test_normal_angles():
    degrees = [0.0, 10.0, 20.0, 25.0, 60.0]
    gt = torch.tensor([[0.0, 0.0, 1.0]] * 5 + [[0.0, 0.0, 0.0]])  # last pixel invalid
    pred = torch.tensor([[math.sin(math.radians(d)), 0.0, math.cos(math.radians(d))]
                         for d in degrees] + [[1.0, 0.0, 0.0]])
    metric = MultiTaskMetric(tasks=('normal', ))
    metric.process(None, [sample(gt_normal=gt.T.reshape(3, 1, 6),
                                 pred_normal=pred.T.reshape(3, 1, 6))])
    scores = metric.compute_metrics(metric.results)
    assert scores['normal_mean'] == pytest.approx(np.mean(degrees), abs=1e-3)
    assert scores['normal_median'] == pytest.approx(20.0, abs=1e-3)
    assert scores['normal_within_11.25'] == pytest.approx(40.0)
    assert scores['normal_within_22.5'] == pytest.approx(60.0)
    assert scores['normal_within_30'] == pytest.approx(80.0)
