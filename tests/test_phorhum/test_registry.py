"""The phorhum scope: its registries, mmengine's scope switch, and a Runner with
default_scope='phorhum'."""
import importlib
import logging

from mmengine.logging import MMLogger
from mmengine.registry import MODELS, OPTIMIZERS, DefaultScope

import projects.phorhum  # noqa: F401
from projects.phorhum import registry


def test_registries_are_children_of_mmengine_roots():
    assert registry.MODELS.parent is MODELS and registry.MODELS.scope == 'phorhum'
    assert MODELS.children['phorhum'] is registry.MODELS
    assert registry.MODELS.get('PHORHUM') is not None
    assert registry.METRICS.get('RenderMetric') is not None
    # Components of mmengine stay visible from the scope (through the parent).
    assert registry.OPTIMIZERS.get('Adam') is OPTIMIZERS.get('Adam')


def test_scope_switch_imports_phorhum_registry_without_warning(caplog):
    assert importlib.import_module('phorhum.registry') is registry
    logger = MMLogger.get_current_instance()
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        with MODELS.switch_scope_and_registry('phorhum') as found:
            assert found is registry.MODELS
            assert DefaultScope.get_current_instance().scope_name == 'phorhum'
    finally:
        logger.removeHandler(handler)
    assert not [r for r in records if r.levelno >= logging.WARNING], \
        [r.getMessage() for r in records]


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
