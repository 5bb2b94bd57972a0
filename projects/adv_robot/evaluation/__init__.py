"""Metrics."""
from .metrics import RegressionMetric

__all__ = ['RegressionMetric']
