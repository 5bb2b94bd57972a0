"""SbF-Pruner / PAAM (Babaiee et al., 2022) as an mmpretrain plugin.

Importing this package registers the pruning wrapper ``SbFPruner``, the ``SlimResNet``
backbone and the ``SbFBudgetHook`` into mmpretrain's registries; configs load it with
``custom_imports = dict(imports=['projects.sbf_pruner'], allow_failed_imports=False)``.
"""
from . import engine, models  # noqa: F401

__all__ = ['engine', 'models']
