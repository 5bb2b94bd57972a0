"""Code shared by two or more MMPlug projects: compatibility fixes, the embedded-data framework,
exact resume and the benchmark harness. Importing it applies the fixes (see :mod:`.compat`) and
registers ``RNGStateHook`` (see :mod:`.engine`).

Projects' package code never imports it (each project lifts upstream on its own); tiny
configs, project tools and tests do.
"""
from . import compat

compat.apply_all()

from . import datasets, engine  # noqa: E402,F401  (register EmbeddedDataset, RNGStateHook)

__all__ = ['compat']
