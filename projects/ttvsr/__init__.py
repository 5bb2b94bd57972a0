"""TTVSR (Liu et al., CVPR 2022) as an mmagic plugin.

Importing this package registers the network, the editor, the trajectory-gather op users, the
SPyNet pre-training model and the flow-pair dataset into mmagic's registries; configs load it
with ``custom_imports = dict(imports=['projects.ttvsr'], allow_failed_imports=False)``.
"""
from . import datasets, models  # noqa: F401
from .models import spynet_pretraining  # noqa: F401

__all__ = ['datasets', 'models']
