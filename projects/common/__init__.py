"""Code shared by the MMPlug projects: compatibility fixes, the ``mmplug`` registry scope, and
the embedded-data framework. Importing it applies the fixes (see :mod:`.compat`)."""
from . import compat

compat.apply_all()

from . import datasets  # noqa: E402,F401  (registers the embedded-data builders)
from .registry import SCOPE  # noqa: E402

__all__ = ['SCOPE', 'compat']
