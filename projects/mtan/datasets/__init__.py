"""Data of MTAN: the official per-sample ``.npy`` format and its pipeline. The embedded scene
builder of the tiny configs lives in ``embedded_scenes.py`` (imported by those configs only)."""
from .npy_dataset import MultiTaskNpyDataset
from .transforms import LoadMultiTaskNpy, PackMultiTaskInputs

__all__ = ['LoadMultiTaskNpy', 'MultiTaskNpyDataset', 'PackMultiTaskInputs']
