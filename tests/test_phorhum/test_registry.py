"""The phorhum scope: its registries, mmengine's scope switch, and a Runner with
default_scope='phorhum'."""
from mmengine.registry import MODELS, OPTIMIZERS

import projects.phorhum  # noqa: F401
from projects.phorhum import registry
from tests.conftest import check_scope_switch


def test_registries_are_children_of_mmengine_roots():
    assert registry.MODELS.parent is MODELS and registry.MODELS.scope == 'phorhum'
    assert MODELS.children['phorhum'] is registry.MODELS
    assert registry.MODELS.get('PHORHUM') is not None
    assert registry.METRICS.get('RenderMetric') is not None
    # Components of mmengine stay visible from the scope (through the parent).
    assert registry.OPTIMIZERS.get('Adam') is OPTIMIZERS.get('Adam')


def test_scope_switch_imports_phorhum_registry_without_warning():
    check_scope_switch('phorhum', registry)


def test_runner_builds_every_component_in_the_phorhum_scope(tiny_config, tmp_path):
    from mmengine.runner import Runner
    cfg = tiny_config(
        'projects/phorhum/configs/phorhum_unet-w16_1xb4-10e_tiny-procedural-humans.py', tmp_path)
    runner = Runner.from_cfg(cfg)
    assert runner.default_scope.scope_name == 'phorhum'
    assert type(runner.model).__name__ == 'PHORHUM'
    evaluator = runner.build_evaluator(cfg.val_evaluator)
    assert type(evaluator.metrics[0]).__name__ == 'RenderMetric'
    assert type(runner.train_dataloader.dataset).__name__ == 'ScanRenderDataset'
