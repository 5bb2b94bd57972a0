"""The mtan scope: its registries, mmengine's scope switch, and a Runner with
default_scope='mtan'."""
from mmengine.registry import HOOKS, MODELS, OPTIMIZERS

import projects.mtan  # noqa: F401
from projects.mtan import registry
from tests.conftest import check_scope_switch


def test_registries_are_children_of_mmengine_roots():
    assert registry.MODELS.parent is MODELS and registry.MODELS.scope == 'mtan'
    assert MODELS.children['mtan'] is registry.MODELS
    assert HOOKS.children['mtan'].get('LossWeightingHook') is not None
    # Components of mmengine stay visible from the scope (through the parent).
    assert registry.OPTIMIZERS.get('Adam') is OPTIMIZERS.get('Adam')


def test_scope_switch_imports_mtan_registry_without_warning():
    check_scope_switch('mtan', registry)


def test_runner_builds_every_component_in_the_mtan_scope(tiny_config, tmp_path):
    from mmengine.runner import Runner
    cfg = tiny_config('projects/mtan/configs/mtan-dwa_segnet-w8_1xb8-25e_tiny-toy-scenes.py',
                      tmp_path)
    runner = Runner.from_cfg(cfg)
    assert runner.default_scope.scope_name == 'mtan'
    assert type(runner.model).__name__ == 'MTAN'
    assert any(type(h).__name__ == 'LossWeightingHook' for h in runner.hooks)
    evaluator = runner.build_evaluator(cfg.val_evaluator)
    assert type(evaluator.metrics[0]).__name__ == 'MultiTaskMetric'
