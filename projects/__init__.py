"""MMPlug: recent research methods as OpenMMLab plugins.

Importing any project imports :mod:`projects.common` first, which applies the compatibility
fixes for PyTorch 2.14 and registers the embedded-data framework. The projects themselves do
not depend on it: each ``projects/NAME`` package imports only torch, mmengine, mmcv, its host
toolbox and itself.
"""
from . import common  # noqa: F401
