"""Metrics of the HAT project."""
from .wer import WERMetric, rare_word_errors

__all__ = ['WERMetric', 'rare_word_errors']
