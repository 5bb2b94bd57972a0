"""The dense multi-task metrics of MTAN, computed as the official code's current version
(lorenmt/mtan ``im2im_pred/utils.py``: ``ConfMatrix``, ``depth_error``, ``normal_error``)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from ..registry import METRICS

THRESHOLDS = (11.25, 22.5, 30.0)


def confusion_matrix(pred: torch.Tensor, target: torch.Tensor, num_classes: int) -> np.ndarray:
    """(C, C) counts, rows the ground truth; pixels with a target outside [0, C) are skipped
    (``ConfMatrix.update``)."""
    keep = (target >= 0) & (target < num_classes)
    index = num_classes * target[keep].long() + pred[keep].long()
    return torch.bincount(index, minlength=num_classes ** 2).reshape(
        num_classes, num_classes).cpu().numpy()


def seg_scores(matrix: np.ndarray) -> tuple[float, float]:
    """mIoU and pixel accuracy from a confusion matrix accumulated over all pixels of all
    images (the Nov-2020 formula). Classes with an empty union (never in the ground truth or
    the prediction) are left out of the mean; the official ``torch.mean`` would return NaN."""
    matrix = matrix.astype(np.float64)
    tp = np.diag(matrix)
    union = matrix.sum(0) + matrix.sum(1) - tp
    with np.errstate(invalid='ignore', divide='ignore'):
        iou = tp / union
    return float(np.nanmean(iou)), float(tp.sum() / matrix.sum())


def depth_errors(pred: torch.Tensor, target: torch.Tensor) -> tuple[float, float] | None:
    """Mean absolute and relative error over the valid pixels of one batch (B, 1, H, W), or
    None without a valid pixel (``depth_error``)."""
    mask = target.sum(dim=1, keepdim=True) != 0
    if not mask.any():
        return None
    p, t = pred.masked_select(mask), target.masked_select(mask)
    return float((p - t).abs().mean()), float(((p - t).abs() / t).mean())


def normal_errors(pred: torch.Tensor, target: torch.Tensor) -> tuple[float, ...] | None:
    """Mean and median angle (degrees) and the fractions under 11.25, 22.5 and 30 degrees over
    the valid pixels of one batch (B, 3, H, W), or None without a valid pixel
    (``normal_error``)."""
    mask = target.sum(dim=1) != 0
    if not mask.any():
        return None
    cos = torch.clamp((pred * target).sum(dim=1).masked_select(mask), -1, 1)
    angle = np.degrees(torch.acos(cos).double().cpu().numpy())
    return (float(np.mean(angle)), float(np.median(angle)),
            *(float(np.mean(angle < t)) for t in THRESHOLDS))


@METRICS.register_module()
class MultiTaskMetric(BaseMetric):
    """mIoU and pixel accuracy, depth absolute and relative error, normal angle statistics.

    As the official code: segmentation accumulates one confusion matrix over every pixel of
    every image; depth and normal statistics are computed per batch over its valid pixels and
    averaged over batches (so they depend on the batch size, as the official numbers).
    mIoU, pixel accuracy and the within-threshold fractions are given in percent, as the
    paper's tables; errors in the data's unit and angles in degrees.

    Args:
        tasks (Sequence[str]): Tasks evaluated. Defaults to ``('seg', 'depth', 'normal')``.
        num_classes (int): Segmentation classes. Defaults to 13.
        collect_device (str): Defaults to ``'cpu'``.
        prefix (str, optional): Defaults to ``'mtan'``.
    """

    default_prefix = 'mtan'

    def __init__(self, tasks: Sequence[str] = ('seg', 'depth', 'normal'),
                 num_classes: int = 13, collect_device: str = 'cpu',
                 prefix: str | None = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.tasks = tuple(tasks)
        self.num_classes = num_classes

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Scores one batch of predicted samples."""
        def stack(key: str) -> torch.Tensor:
            return torch.stack([torch.as_tensor(s[key]) for s in data_samples])

        result = {}
        if 'seg' in self.tasks:
            result['seg'] = confusion_matrix(stack('pred_seg'), stack('gt_seg'),
                                             self.num_classes)
        if 'depth' in self.tasks:
            result['depth'] = depth_errors(stack('pred_depth'), stack('gt_depth'))
        if 'normal' in self.tasks:
            result['normal'] = normal_errors(stack('pred_normal'), stack('gt_normal'))
        self.results.append(result)

    def compute_metrics(self, results: list[dict]) -> dict[str, float]:
        """The dataset's scores from the per-batch results."""
        metrics = {}
        if 'seg' in self.tasks:
            miou, acc = seg_scores(sum(r['seg'] for r in results))
            metrics.update(mIoU=100 * miou, pixel_acc=100 * acc)
        if 'depth' in self.tasks:
            batches = np.array([r['depth'] for r in results if r['depth'] is not None])
            metrics.update(depth_abs_err=float(batches[:, 0].mean()),
                           depth_rel_err=float(batches[:, 1].mean()))
        if 'normal' in self.tasks:
            batches = np.array([r['normal'] for r in results if r['normal'] is not None])
            means = batches.mean(0)
            metrics.update(normal_mean=float(means[0]), normal_median=float(means[1]))
            for t, value in zip(THRESHOLDS, means[2:], strict=True):
                metrics[f'normal_within_{t:g}'] = 100 * float(value)
        return metrics
