"""Code shared by the MMPlug projects: compatibility fixes, the ``mmplug`` registry scope, the
embedded-data framework and exact resume. Importing it applies the fixes (see :mod:`.compat`)
and registers ``RNGStateHook`` (see :mod:`.engine`)."""
from . import compat

compat.apply_all()

from . import datasets, engine  # noqa: E402,F401  (register the builders and RNGStateHook)
from .registry import SCOPE  # noqa: E402

__all__ = ['SCOPE', 'compat']
