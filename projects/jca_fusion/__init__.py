"""Joint cross-attention audio-visual fusion (Praveen et al., CVPR-W 2022) on mmaction2.

Importing this package registers the regressor, encoders, fusion modules, head, loss,
dataset and CCC metric into mmaction2's registries (an audio-visual video model); configs load
it with ``custom_imports = dict(imports=['projects.jca_fusion'], allow_failed_imports=False)``.
"""
from . import datasets, evaluation, models  # noqa: F401

__all__ = ['datasets', 'evaluation', 'models']
