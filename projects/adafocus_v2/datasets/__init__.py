"""AdaFocusV2 data transforms, registered in mmaction2's TRANSFORMS registry."""
from .transforms import CoarseToFineOrder, SampleGlanceFocusFrames, coarse_to_fine_order

__all__ = ['CoarseToFineOrder', 'SampleGlanceFocusFrames', 'coarse_to_fine_order']
