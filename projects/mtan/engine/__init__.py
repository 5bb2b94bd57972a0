"""Engine components of MTAN: task loss weighting for any multi-loss model."""
from .loss_weighting import (
                             DynamicWeightAverage,
                             EqualWeighting,
                             LossWeighting,
                             UncertaintyWeighting,
)
from .loss_weighting_hook import LossWeightingHook

__all__ = ['DynamicWeightAverage', 'EqualWeighting', 'LossWeighting', 'LossWeightingHook',
           'UncertaintyWeighting']
