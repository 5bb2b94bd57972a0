"""The hat_mwer scope: its registries, mmengine's scope switch, and a Runner with
default_scope='hat_mwer'."""
from mmengine.registry import MODELS, OPTIMIZERS

import projects.hat_mwer  # noqa: F401
from projects.hat_mwer import registry
from tests.conftest import check_scope_switch

TINY = 'projects/hat_mwer/configs/hat_lstm-h128_1xb16-30e_tiny-espeak-rare-words.py'


def test_registries_are_children_of_mmengine_roots():
    assert registry.MODELS.parent is MODELS and registry.MODELS.scope == 'hat_mwer'
    assert MODELS.children['hat_mwer'] is registry.MODELS
    assert registry.MODELS.get('HATASR') is not None
    assert registry.OPTIMIZERS.get('Adam') is OPTIMIZERS.get('Adam')


def test_scope_switch_imports_the_registry_without_warning():
    check_scope_switch('hat_mwer', registry)


def test_runner_builds_every_component_in_the_scope(tiny_config, tmp_path):
    from mmengine.runner import Runner
    cfg = tiny_config(TINY, tmp_path)
    runner = Runner.from_cfg(cfg)
    assert runner.default_scope.scope_name == 'hat_mwer'
    assert type(runner.model).__name__ == 'HATASR'
    assert type(runner.model.data_preprocessor).__name__ == 'LogMelPreprocessor'
    evaluator = runner.build_evaluator(cfg.val_evaluator)
    assert type(evaluator.metrics[0]).__name__ == 'WERMetric'
