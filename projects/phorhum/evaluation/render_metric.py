"""PSNR/SSIM of albedo and shaded renders in the front and back views, and silhouette IoU
(the appearance evaluation of the paper, Sec. 4; geometry metrics need meshes and live in
``projects/phorhum/tools/benchmark.py``)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from ..models.losses import psnr, ssim
from ..registry import METRICS


@METRICS.register_module()
class RenderMetric(BaseMetric):
    """Per-image ``{albedo,shaded}_{front,back}_{psnr,ssim}`` and ``mask_{front,back}_iou``.

    The images are compared whole (background included, black in both), as in the paper's
    front/back colour evaluation of full renders.
    """

    default_prefix = 'phorhum'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            row = {}
            for view, suffix in (('front', ''), ('back', '_back')):
                for key in ('albedo', 'shaded'):
                    pred, gt = sample[f'pred_{key}{suffix}'], sample[f'gt_{key}{suffix}']
                    row[f'{key}_{view}_psnr'] = psnr(pred, gt)
                    row[f'{key}_{view}_ssim'] = ssim(pred, gt)
                pred = sample[f'pred_mask{suffix}'] > 0.5
                gt = sample[f'gt_mask{suffix}'] > 0.5
                row[f'mask_{view}_iou'] = float((pred & gt).sum()) / max(
                    float((pred | gt).sum()), 1.0)
            self.results.append(row)

    def compute_metrics(self, results: list[dict]) -> dict[str, float]:
        return {k: float(np.mean([r[k] for r in results])) for k in results[0]}


__all__ = ['RenderMetric']
