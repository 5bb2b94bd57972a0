"""The embedded-data framework and the moving digits shared by the demo and the mixes.

Builders that serve a single project live in that project (``projects/NAME/datasets/
embedded_*.py``) and register into the same :data:`EMBEDDED_DATA` registry.
"""
from ..registry import EMBEDDED_DATA
from .builder import EmbeddedDataset, EmbeddedDatasetBuilder, build_embedded_data
from .moving_digits import MovingDigitsBuilder

__all__ = ['EMBEDDED_DATA', 'EmbeddedDataset', 'EmbeddedDatasetBuilder', 'MovingDigitsBuilder',
           'build_embedded_data']
