"""IST, independent subnet training (Yuan et al., PVLDB 15(8) 2022), in a scope of its own.

Importing this package registers the fully connected model, the no-sync model wrapper, the
features dataset, the accuracy metric and the training loops (IST, local SGD, data parallel)
into the ``ist`` registries (:mod:`.registry`); configs load it with
``custom_imports = dict(imports=['projects.ist'], allow_failed_imports=False)`` and set
``default_scope = 'ist'``.
"""
from . import datasets, engine, evaluation, models, registry  # noqa: F401

__all__ = ['datasets', 'engine', 'evaluation', 'models', 'registry']
