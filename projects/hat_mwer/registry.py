"""Registries of the ``hat_mwer`` scope: children of mmengine's root registries.

No OpenMMLab toolbox hosts speech recognition, so the project has a scope of its own
(``default_scope = 'hat_mwer'`` in its configs). When the runner switches to a scope, mmengine
imports ``{scope}.registry`` (``Registry.switch_scope_and_registry`` and ``DefaultScope``);
this module is registered under that name too, so that the switch finds it without a
top-level ``hat_mwer`` package.
"""
import sys

from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import Registry

SCOPE = 'hat_mwer'

MODELS = Registry('model', parent=MMENGINE_MODELS, scope=SCOPE,
                  locations=['projects.hat_mwer.models'])
DATASETS = Registry('dataset', parent=MMENGINE_DATASETS, scope=SCOPE,
                    locations=['projects.hat_mwer.datasets'])
METRICS = Registry('metric', parent=MMENGINE_METRICS, scope=SCOPE,
                   locations=['projects.hat_mwer.evaluation'])

sys.modules.setdefault(f'{SCOPE}.registry', sys.modules[__name__])
