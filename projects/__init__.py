"""MMPlug: recent research methods as OpenMMLab plugins.

Importing any project imports :mod:`projects.common` first, which applies the compatibility
fixes for PyTorch 2.14 and registers the ``mmplug`` registry scope.
"""
from . import common  # noqa: F401
