"""LossWeightingHook on another project's model: the jca_fusion valence/arousal regressor
(mmaction scope), unchanged."""
import pytest
import torch
from mmengine.runner import Runner

import projects.mtan  # noqa: F401  (registers the hook in the mtan scope)
from projects.mtan.engine import LossWeightingHook

JCA = 'projects/jca_fusion/configs/jca_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py'
KEYS = ['loss_valence', 'loss_arousal']


def jca_runner(tiny_config, tmp_path, weighting: dict):
    cfg = tiny_config(JCA, tmp_path, train_dataloader=dict(batch_size=2),
                      custom_hooks=[dict(type='mtan.LossWeightingHook', weighting=weighting)])
    runner = Runner.from_cfg(cfg)
    assert runner.default_scope.scope_name == 'mmaction'
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    runner.call_hook('before_run')
    hook = next(h for h in runner.hooks if isinstance(h, LossWeightingHook))
    return runner, hook, next(iter(runner.train_dataloader))


def test_dwa_weights_reach_the_loss_of_a_jca_regressor(tiny_config, tmp_path):
    runner, hook, batch = jca_runner(tiny_config, tmp_path, dict(type='DynamicWeightAverage'))
    dwa = hook.weighting
    dwa.history = [dict(loss_valence=1.0, loss_arousal=1.0),
                   dict(loss_valence=0.5, loss_arousal=1.0)]
    hook.before_train_epoch(runner)
    weights = dwa.weights()
    assert sum(weights.values()) == pytest.approx(2.0)
    assert weights['loss_arousal'] > 1 > weights['loss_valence']
    log_vars = runner.model.train_step(batch, runner.optim_wrapper)
    raw = {k: v for k, v in dwa._sums.items()}  # this iteration's unweighted losses
    assert set(raw) == set(KEYS) and dwa.loss_keys == KEYS
    for key in KEYS:
        assert float(log_vars[key]) == pytest.approx(weights[key] * raw[key], rel=1e-5)
    assert float(log_vars['loss']) == pytest.approx(
        sum(weights[k] * raw[k] for k in KEYS), rel=1e-5)
    hook.after_train_iter(runner, 0)
    assert runner.message_hub.get_scalar('train/weight_arousal').current() == pytest.approx(
        weights['loss_arousal'])
    # Evaluation is untouched: predictions pass through the forward hook unchanged.
    runner.model.eval()
    with torch.no_grad():
        samples = runner.model.test_step(batch)
    assert all('pred_valence' in s for s in samples)


def test_uncertainty_log_variances_are_trained_by_the_runner_optimizer(tiny_config, tmp_path):
    runner, hook, batch = jca_runner(
        tiny_config, tmp_path, dict(type='UncertaintyWeighting', loss_keys=KEYS))
    log_vars = hook.weighting.log_vars
    groups = runner.optim_wrapper.optimizer.param_groups
    assert groups[-1]['params'] == [log_vars] and groups[-1]['lr'] == groups[0]['lr']
    before = log_vars.detach().clone()
    runner.model.train_step(batch, runner.optim_wrapper)
    assert not torch.equal(before, log_vars.detach())
    # The weighting's state travels in the checkpoint.
    checkpoint = {}
    hook.before_save_checkpoint(runner, checkpoint)
    with torch.no_grad():
        log_vars.zero_()
    hook.after_load_checkpoint(runner, checkpoint)
    assert not torch.equal(log_vars.detach(), torch.zeros(2))
