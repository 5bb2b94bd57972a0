"""Code shared by two or more MMPlug projects: compatibility fixes, the embedded-data framework
and the benchmark harness. Importing it applies the fixes (see :mod:`.compat`).

Projects' package code never imports it (each project lifts upstream on its own); tiny
configs, project tools and tests do.
"""
from . import compat

compat.apply_all()

from . import datasets  # noqa: E402,F401  (registers EmbeddedDataset and the moving digits)

__all__ = ['compat']
