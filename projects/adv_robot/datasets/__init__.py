"""Transforms (the embedded-data builders are imported by the tiny configs only)."""
from .transforms import FramesToChannels, PackRegressionInputs

__all__ = ['FramesToChannels', 'PackRegressionInputs']
