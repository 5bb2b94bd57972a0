"""The frame-level CCC metric."""
from .ccc_metric import IGNORE, CCCMetric, ccc

__all__ = ['CCCMetric', 'IGNORE', 'ccc']
