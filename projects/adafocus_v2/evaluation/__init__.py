"""Conditional exit (AdaFocusV2+) and per-video GFLOPs of AdaFocusV2."""
from .complexity import adafocus_complexity, count
from .conditional_exit import (
    CONFIDENCES,
    cheapest_at_accuracy,
    choose_for_budget,
    confidence,
    evaluate_exits,
    exit_curve,
    exit_proportions,
    exit_steps,
    fit_thresholds,
    metric_name,
    plot_exit_curve,
    score,
)

__all__ = ['CONFIDENCES', 'adafocus_complexity', 'cheapest_at_accuracy', 'choose_for_budget',
           'confidence', 'count', 'evaluate_exits', 'exit_curve', 'exit_proportions',
           'exit_steps', 'fit_thresholds', 'metric_name', 'plot_exit_curve', 'score']
