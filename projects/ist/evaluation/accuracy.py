"""Top-1 accuracy of ``pred_label`` against ``gt_label``."""
from __future__ import annotations

from mmengine.evaluator import BaseMetric

from ..registry import METRICS


@METRICS.register_module()
class Top1Accuracy(BaseMetric):
    """Share of samples whose ``pred_label`` equals ``gt_label`` (key ``accuracy``)."""

    default_prefix = ''

    def process(self, data_batch, data_samples) -> None:
        for sample in data_samples:
            self.results.append(float(sample['pred_label'] == sample['gt_label']))

    def compute_metrics(self, results: list) -> dict:
        return dict(accuracy=sum(results) / max(len(results), 1))
