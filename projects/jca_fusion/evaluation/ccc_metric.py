"""Frame-level CCC of valence and arousal, as the ABAW VA challenge scores it (official
T-BIOM code: ``val.py``)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric
from scipy.ndimage import uniform_filter1d

IGNORE = -5.0  # Aff-Wild2's value for frames without a label


def ccc(pred: np.ndarray, target: np.ndarray) -> float:
    """CCC = 2 s_xy / (s_x² + s_y² + (μ_x − μ_y)²) with population moments (float64)."""
    pred, target = np.asarray(pred, np.float64), np.asarray(target, np.float64)
    mean_p, mean_t = pred.mean(), target.mean()
    cov = np.mean((pred - mean_p) * (target - mean_t))
    return float(2 * cov / (pred.var() + target.var() + (mean_p - mean_t) ** 2))


@METRICS.register_module()
class CCCMetric(BaseMetric):
    """CCC per dimension over all labelled frames of all videos, and their mean.

    Each clip prediction belongs to the frame that ends its sub-sequence (``frame_ids``); the
    test split tiles every frame of every video (see ``AffWild2VADataset``), and a frame
    predicted more than once gets the average. Per video the frame predictions are put in
    order, optionally clipped to [−1, 1] and smoothed with a moving average (the T-BIOM
    ``val.py`` post-process: windows 20 for valence, 50 for arousal); then frames labelled
    −5 are **left out** (the official T-BIOM ``val.py`` kept them as zeros in both arrays),
    and one CCC is computed over the concatenation of all videos, as the challenge does.

    Args:
        dimensions (Sequence[str]): Regressed dimensions. Defaults to ('valence', 'arousal').
        clip (bool): Clip predictions to [−1, 1]. Defaults to True.
        smooth (dict[str, int], optional): Moving-average window per dimension (frames),
            e.g. ``dict(valence=20, arousal=50)``; None for no smoothing. Defaults to None.
        collect_device (str): Defaults to 'cpu'.
        prefix (str): Prefix of the metric names. Defaults to 'ccc'.
    """

    default_prefix = 'ccc'

    def __init__(self,
                 dimensions: Sequence[str] = ('valence', 'arousal'),
                 clip: bool = True,
                 smooth: dict[str, int] | None = None,
                 collect_device: str = 'cpu',
                 prefix: str | None = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.dimensions = tuple(dimensions)
        self.clip = clip
        self.smooth = dict(smooth or {})

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Keeps each clip's frame ids, predictions and labels."""
        for sample in data_samples:
            record = dict(video=sample['video'], frame_ids=_np(sample['frame_ids']))
            for dim in self.dimensions:
                record[f'pred_{dim}'] = _np(sample[f'pred_{dim}'])
                record[f'gt_{dim}'] = _np(sample[f'gt_{dim}'])
            self.results.append(record)

    def frame_sequences(self, results: list[dict]) -> dict[str, dict[str, np.ndarray]]:
        """Per video: sorted frame ids and the per-frame predictions and labels.

        Returns:
            dict: {video: {'frame_ids', 'pred_<dim>', 'gt_<dim>'}} with one entry per frame
            that ends at least one predicted sub-sequence (padding ids < 0 are dropped).
        """
        grouped = defaultdict(list)
        for record in results:
            grouped[record['video']].append(record)
        videos = {}
        for video, records in grouped.items():
            ids = np.concatenate([r['frame_ids'] for r in records])
            keep = ids >= 0
            frames, inverse = np.unique(ids[keep], return_inverse=True)
            counts = np.bincount(inverse, minlength=len(frames))
            seq = dict(frame_ids=frames)
            for dim in self.dimensions:
                pred = np.concatenate([r[f'pred_{dim}'] for r in records])[keep]
                seq[f'pred_{dim}'] = np.bincount(inverse, pred, len(frames)) / counts
                gt = np.full(len(frames), IGNORE)
                gt[inverse] = np.concatenate([r[f'gt_{dim}'] for r in records])[keep]
                seq[f'gt_{dim}'] = gt
            videos[video] = seq
        return videos

    def compute_metrics(self, results: list[dict]) -> dict[str, float]:
        """Returns ``{dim: CCC}`` for every dimension and ``mean`` (the ABAW score P)."""
        videos = self.frame_sequences(results)
        metrics = {}
        for dim in self.dimensions:
            preds, gts = [], []
            for seq in videos.values():
                pred = seq[f'pred_{dim}']
                if self.clip:
                    pred = np.clip(pred, -1.0, 1.0)
                if self.smooth.get(dim, 0) > 1:
                    pred = uniform_filter1d(pred, self.smooth[dim], mode='constant')
                labelled = seq[f'gt_{dim}'] != IGNORE
                preds.append(pred[labelled])
                gts.append(seq[f'gt_{dim}'][labelled])
            metrics[dim] = ccc(np.concatenate(preds), np.concatenate(gts))
        metrics['mean'] = float(np.mean([metrics[d] for d in self.dimensions]))
        return metrics


def _np(value) -> np.ndarray:
    """A tensor or array as a float64 numpy array."""
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return np.atleast_1d(np.asarray(value, dtype=np.float64))
