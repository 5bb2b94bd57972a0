"""Open-loop regression metric (e.g. steering error of an imitation policy)."""
from __future__ import annotations

from collections.abc import Sequence

import torch
from mmengine.evaluator import BaseMetric
from mmpretrain.registry import METRICS


@METRICS.register_module()
class RegressionMetric(BaseMetric):
    """Mean absolute and root mean squared error of ``pred_value`` against ``gt_value``.

    Args:
        collect_device (str): Where results are gathered. Defaults to ``'cpu'``.
        prefix (str): Metric-name prefix. Defaults to ``'regression'``.
    """

    default_prefix = 'regression'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred = torch.as_tensor(sample['pred_value']).float().cpu()
            gt = torch.as_tensor(sample['gt_value']).float().cpu()
            self.results.append((pred - gt).flatten())

    def compute_metrics(self, results: list) -> dict[str, float]:
        errors = torch.cat(results)
        return dict(mae=errors.abs().mean().item(), rmse=errors.pow(2).mean().sqrt().item())
