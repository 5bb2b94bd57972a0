"""Word error rate, overall and on rare words, with ``jiwer``."""
from __future__ import annotations

import os.path as osp

from mmengine.evaluator import BaseMetric

from ..registry import METRICS


def rare_word_errors(references: list[str], hypotheses: list[str],
                     rare_words: set[str]) -> tuple[int, int]:
    """(errors, count) on reference words that are in ``rare_words``.

    A rare reference word counts as an error when jiwer's minimum-edit alignment substitutes
    or deletes it; insertions belong to no reference word and are not counted.
    """
    import jiwer
    errors = count = 0
    for ref, hyp in zip(references, hypotheses, strict=True):
        words = ref.split()
        rare = [w in rare_words for w in words]
        count += sum(rare)
        if not any(rare):
            continue
        out = jiwer.process_words(ref, hyp if hyp.strip() else '')
        for chunk in out.alignments[0]:
            if chunk.type in ('substitute', 'delete'):
                errors += sum(rare[chunk.ref_start_idx:chunk.ref_end_idx])
    return errors, count


@METRICS.register_module()
class WERMetric(BaseMetric):
    """Corpus WER (``jiwer.wer``: edits / reference words, in %) and rare-word WER.

    Rare-word WER = substituted or deleted rare reference words / rare reference words (%),
    with the rare words given as a list or a file (one word per line).

    Args:
        rare_words (list[str] | str, optional): The rare-word list or its file.
        prefix (str, optional): Metric name prefix. Defaults to 'asr'.
        collect_device (str): Defaults to 'cpu'.
    """

    default_prefix = 'asr'

    def __init__(self, rare_words=None, prefix: str | None = None,
                 collect_device: str = 'cpu') -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if isinstance(rare_words, str):
            if not osp.isfile(rare_words):
                raise FileNotFoundError(f'rare_words file {rare_words!r} not found (one word '
                                        'per line; see projects/hat_mwer/tools/data/README.md).')
            with open(rare_words) as f:
                rare_words = [w.strip() for w in f if w.strip()]
        self.rare_words = set(rare_words or ())

    def process(self, data_batch, data_samples) -> None:
        for sample in data_samples:
            self.results.append((sample['gt_text'], sample['pred_text']))

    def compute_metrics(self, results: list) -> dict[str, float]:
        import jiwer
        refs = [r for r, _ in results]
        hyps = [h for _, h in results]
        # jiwer rejects empty references; an empty hypothesis is all deletions.
        keep = [i for i, r in enumerate(refs) if r.strip()]
        refs, hyps = [refs[i] for i in keep], [hyps[i] for i in keep]
        metrics = dict(wer=100.0 * jiwer.wer(refs, hyps))
        if self.rare_words:
            errors, count = rare_word_errors(refs, hyps, self.rare_words)
            metrics['rare_wer'] = 100.0 * errors / max(count, 1)
        return metrics
