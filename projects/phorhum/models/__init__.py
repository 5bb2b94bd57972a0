"""PHORHUM's networks, losses, renderer and model."""
from .losses import PatchStructureLoss
from .networks import FeatureUNet, ImplicitNetwork, ShadingNetwork
from .phorhum import PHORHUM

__all__ = ['PHORHUM', 'FeatureUNet', 'ImplicitNetwork', 'PatchStructureLoss', 'ShadingNetwork']
