"""TTVSR ops: the trajectory gather (PyTorch, and an optional C++ extension)."""
from .build import build_ext, loaded_extension
from .trajectory_gather import trajectory_gather, trajectory_gather_pytorch

__all__ = ['build_ext', 'loaded_extension', 'trajectory_gather', 'trajectory_gather_pytorch']
