"""PHORHUM (Alldieck, Zanfir and Sminchisescu, CVPR 2022) as an OpenMMLab plugin with its own
``phorhum`` scope.

Importing this package registers, in the registries of :mod:`.registry`, the networks G, f
and s, the :class:`~.models.PHORHUM` model (and its PIFu-style baseline), the scan-render
dataset and transforms, and the render metric. Configs load it with
``custom_imports = dict(imports=['projects.phorhum'], allow_failed_imports=False)`` and set
``default_scope = 'phorhum'``.
"""
from . import datasets, evaluation, models, registry  # noqa: F401

__all__ = ['datasets', 'evaluation', 'models', 'registry']
