"""The ``mmplug`` registry scope."""
from __future__ import annotations

import torch.nn as nn
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import DefaultScope

from projects.common.registry import MODELS, SCOPE


class _ScopeProbe(nn.Module):
    pass


def test_mmplug_models_build_from_the_root_without_warnings(capfd):
    MODELS.register_module(module=_ScopeProbe, force=True)
    with DefaultScope.overwrite_default_scope(SCOPE):
        model = ROOT_MODELS.build(dict(type='_ScopeProbe'))
    assert isinstance(model, _ScopeProbe)
    captured = capfd.readouterr()
    assert 'registry' not in captured.out + captured.err


def test_root_components_are_found_from_the_mmplug_scope():
    from projects.common.registry import OPTIMIZERS
    assert OPTIMIZERS.get('SGD') is not None
    assert MODELS.parent is ROOT_MODELS
