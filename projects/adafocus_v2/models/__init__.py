"""AdaFocusV2 model components, registered in mmaction2's MODELS registry."""
from .classifier import PoolingClassifier
from .heads import DetachedFusionHead
from .patch_crop import crop_patches, patch_boxes
from .policy import PolicyNetwork
from .recognizer import AdaFocusV2

__all__ = ['AdaFocusV2', 'DetachedFusionHead', 'PolicyNetwork', 'PoolingClassifier',
           'crop_patches', 'patch_boxes']
