"""Appearance metrics of the rendered reconstructions."""
from .render_metric import RenderMetric

__all__ = ['RenderMetric']
