"""Conditional exit (AdaFocusV2+) and per-video GFLOPs of AdaFocusV2."""
from .complexity import adafocus_complexity, count
from .conditional_exit import (
    CONFIDENCES,
    cheapest_at_accuracy,
    confidence,
    evaluate_exits,
    exit_curve,
    exit_proportions,
    exit_steps,
    fit_thresholds,
    plot_exit_curve,
)

__all__ = ['CONFIDENCES', 'adafocus_complexity', 'cheapest_at_accuracy', 'confidence', 'count',
           'evaluate_exits', 'exit_curve', 'exit_proportions', 'exit_steps', 'fit_thresholds',
           'plot_exit_curve']
