"""MTAN (Liu, Johns and Davison, CVPR 2019) as an OpenMMLab plugin with its own ``mtan`` scope.

Importing this package registers, in the registries of :mod:`.registry`, the SegNet backbone,
the task attention networks and the :class:`~.models.MTAN` model, the per-sample ``.npy``
dataset, the multi-task metric, and :class:`~.engine.LossWeightingHook` with the equal, DWA
and uncertainty weightings (usable by any multi-loss model). Configs load it with
``custom_imports = dict(imports=['projects.mtan'], allow_failed_imports=False)`` and set
``default_scope = 'mtan'``.
"""
from . import datasets, engine, evaluation, models, registry  # noqa: F401

__all__ = ['datasets', 'engine', 'evaluation', 'models', 'registry']
