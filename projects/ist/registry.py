"""Registries of the ``ist`` scope: children of mmengine's root registries.

IST trains plain fully connected networks, which no OpenMMLab toolbox hosts, so the project
has a scope of its own (``default_scope = 'ist'`` in its configs). When the runner switches to
a scope, mmengine imports ``{scope}.registry`` (``Registry.switch_scope_and_registry`` and
``DefaultScope``); this module is registered under that name too, so that the switch finds it
without a top-level ``ist`` package.
"""
import sys

from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import Registry

SCOPE = 'ist'

MODELS = Registry('model', parent=MMENGINE_MODELS, scope=SCOPE,
                  locations=['projects.ist.models'])
MODEL_WRAPPERS = Registry('model_wrapper', parent=MMENGINE_MODEL_WRAPPERS, scope=SCOPE,
                          locations=['projects.ist.models'])
DATASETS = Registry('dataset', parent=MMENGINE_DATASETS, scope=SCOPE,
                    locations=['projects.ist.datasets'])
METRICS = Registry('metric', parent=MMENGINE_METRICS, scope=SCOPE,
                   locations=['projects.ist.evaluation'])
LOOPS = Registry('loop', parent=MMENGINE_LOOPS, scope=SCOPE, locations=['projects.ist.engine'])
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, scope=SCOPE, locations=['projects.ist.engine'])

sys.modules.setdefault(f'{SCOPE}.registry', sys.modules[__name__])
