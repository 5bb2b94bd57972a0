"""MVFNet model components, registered in mmaction2's MODELS registry."""
from .mvf import MVF
from .resnet_mvf import ResNetMVF

__all__ = ['MVF', 'ResNetMVF']
