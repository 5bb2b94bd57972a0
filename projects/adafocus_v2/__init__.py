"""AdaFocusV2 (Wang et al., CVPR 2022) as an mmaction2 plugin.

Importing this package registers the recognizer, its parts and the frame-sampling transforms
into mmaction2's registries; configs load it with
``custom_imports = dict(imports=['projects.adafocus_v2'], allow_failed_imports=False)``.
"""
from . import datasets, evaluation, models  # noqa: F401

__all__ = ['datasets', 'evaluation', 'models']
