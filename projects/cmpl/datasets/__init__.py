"""Data of the CMPL project: the labeled / unlabeled split, the semi-supervised dataset wrapper
and sampler, and the video transforms. The embedded rotating-digits builder of the tiny configs
lives in ``embedded_rotating_digits.py`` (imported by those configs only)."""
from .semi_supervised import (
                              SemiSupervisedDataset,
                              SemiSupervisedSampler,
                              split_labeled,
                              split_paths,
)
from .transforms import ClipRandAugment, MultiView, SubsampleFrames

__all__ = ['ClipRandAugment', 'MultiView', 'SemiSupervisedDataset', 'SemiSupervisedSampler',
           'SubsampleFrames', 'split_labeled', 'split_paths']
