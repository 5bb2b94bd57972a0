"""CMPL (Xu et al., CVPR 2022) as an mmaction2 plugin.

Importing this package registers into mmaction2's registries the model
(:class:`~.models.CMPLRecognizer`, its data preprocessor), the semi-supervised dataset wrapper
and sampler, the multi-view and augmentation transforms, and the hook that exports the primary
network; configs load it with
``custom_imports = dict(imports=['projects.cmpl'], allow_failed_imports=False)``.
"""
from . import datasets, engine, models  # noqa: F401

__all__ = ['datasets', 'engine', 'models']
