"""SbFPruner: choosing and grouping convolutions, gating (paper eq. 3), regulariser, budget."""
from __future__ import annotations

import pytest
import torch
from mmpretrain.structures import DataSample

from projects.sbf_pruner.models import CostModel, SbFPruner, budget_masks
from tests.test_sbf_pruner.conftest import build_pruner, classifier_cfg, randomise, spread_scores


def labels(n: int) -> list[DataSample]:
    return [DataSample().set_gt_label(i % 10) for i in range(n)]


def test_groups_follow_the_residual_streams(pruner):
    groups = pruner.groups
    assert groups['backbone_conv1'] == ['backbone.conv1'] + [
        f'backbone.layer1.{i}.conv2' for i in range(3)]
    assert 'backbone.layer2.0.downsample.0' in groups['backbone_layer2_0_conv2']
    # Each block's first convolution is free: a group of its own.
    assert groups['backbone_layer2_1_conv1'] == ['backbone.layer2.1.conv1']
    assert len(groups) == 3 + 9


def test_gates_sit_after_the_norm_layers(pruner, images):
    pruner(images)
    assert pruner._gated_modules['backbone_layer1_0_conv1'] == ['backbone.layer1.0.bn1']
    assert 'backbone.layer2.0.downsample.1' in pruner._gated_modules['backbone_layer2_0_conv2']


@pytest.mark.parametrize('kwargs, match', [
    (dict(include=[r'backbone\.layer9.*']), r"include pattern 'backbone\\\\.layer9"),
    (dict(exclude=[r'head\..*']), "exclude pattern"),
    (dict(groups=[r'backbone\.layer1\.0\.conv1|backbone\.layer2\.0\.conv1']), 'mixes output'),
    (dict(groups=[r'backbone\.conv1', r'backbone\.conv1']), 'two groups'),
    (dict(reg_cost='flops'), 'reg_cost'),
    (dict(param_budget=1.5), 'param_budget'),
])
def test_bad_configs_name_the_culprit(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_pruner(**kwargs)


def test_depthwise_convolutions_are_refused():
    backbone = dict(type='MobileNetV2', widen_factor=0.25, out_indices=(7, ))
    with pytest.raises(ValueError, match='depthwise'):
        build_pruner(model=classifier_cfg(backbone, in_channels=1280), include=['.*'],
                     groups=[])


def fixed_scores(pruner: SbFPruner, value: float = 1.0) -> dict[str, torch.Tensor]:
    """Makes ``pruner.scores()`` return constant scores that the test may edit."""
    scores = {k: torch.full((pruner.conv(c[0]).out_channels, ), value)
              for k, c in pruner.groups.items()}
    pruner.scores = lambda: scores
    return scores


def test_gating_zero_channels_removes_their_effect_exactly(pruner, images):
    """A'_l = S_l ⊙ A_l: a filter gated to zero may change arbitrarily without any effect."""
    randomise(pruner)
    pruner.eval()
    scores = fixed_scores(pruner)
    scores['backbone_layer2_1_conv1'][[0, 5, 7]] = 0.01  # below prune_threshold: gate 0
    scores['backbone_layer2_0_conv2'][[3, 4]] = 0.01  # a whole residual-stream channel
    before = pruner(images)
    block = pruner.model.backbone.layer2[1]
    with torch.no_grad():
        block.conv1.weight[[0, 5, 7]] += 10 * torch.randn_like(block.conv1.weight[[0, 5, 7]])
        block.bn1.bias[[0, 5, 7]] += 5.0
        for conv in ('layer2.0.conv2', 'layer2.0.downsample.0', 'layer2.2.conv2'):
            pruner.conv(f'backbone.{conv}').weight[[3, 4]] *= -7.0
    torch.testing.assert_close(pruner(images), before, rtol=0, atol=0)
    with torch.no_grad():
        block.bn1.bias[1] += 5.0  # a kept channel: this one counts
    assert not torch.allclose(pruner(images), before)


def test_gates_scale_the_channels(pruner, images):
    """Eq. 3 is a plain product: halving a layer's scores halves its output A'_l."""
    randomise(pruner)
    pruner.eval()
    scores = fixed_scores(pruner)
    pruner(images)  # installs the gates first, so the probe below sees gated outputs
    seen = []
    pruner.model.backbone.layer1[0].bn1.register_forward_hook(lambda m, a, out: seen.append(out))
    pruner(images)
    scores['backbone_layer1_0_conv1'][:] = 0.5
    pruner(images)
    torch.testing.assert_close(seen[1], 0.5 * seen[0])


def test_loss_adds_the_regulariser_and_every_parameter_learns(pruner, images):
    pruner.train()
    losses = pruner(images, labels(2), mode='loss')
    scores = pruner.scores()
    costs = pruner.filter_costs()
    expected = pruner.reg_weight * sum(costs[k] * s.sum() for k, s in scores.items()) / sum(
        costs[k] * s.numel() for k, s in scores.items())
    torch.testing.assert_close(losses['loss_sbf'], expected)
    assert set(losses) == {'loss', 'loss_sbf', 'sbf_kept', 'sbf_score'}
    (losses['loss'] + losses['loss_sbf']).backward()
    no_grad = [n for n, p in pruner.named_parameters() if p.grad is None or not p.grad.any()]
    assert not no_grad, no_grad


def test_task_loss_trains_the_scores_through_the_gates(pruner, images):
    """Without the regulariser, the ANs still get gradients: from the task loss, via eq. 3."""
    pruner.train()
    pruner(images, labels(2), mode='loss')['loss'].backward()
    grads = [an.score.weight.grad for an in pruner.attention_networks.values()]
    assert all(g is not None and g.abs().sum() > 0 for g in grads)


def test_detached_weights_learn_from_the_task_loss_only(images):
    pruner = build_pruner(detach_weights=True)
    pruner.train()
    pruner(images)  # traces
    pruner.regulariser(pruner.scores()).backward()
    assert pruner.conv('backbone.conv1').weight.grad is None
    attached = build_pruner(detach_weights=False)
    attached.regulariser(attached.scores()).backward()
    assert attached.conv('backbone.conv1').weight.grad.abs().sum() > 0


def test_budget_keeps_the_best_filters_within_the_cost_budget():
    """A hand-made cost: a = 10 per filter, b = 20 per filter, and a layer reading a's output
    that costs 5 per (a filter x b filter) pair: cost = 10 n_a + 20 n_b + 5 n_a n_b."""
    costs = CostModel(['a', 'b'], [3, 2], fixed=0.0, terms=[(10.0, 0, 2), (20.0, 1, 2),
                                                          (5.0, 0, 1)])
    costs.total = float(costs.cost(torch.tensor([3, 2])))  # 30 + 40 + 30 = 100
    scores = dict(a=torch.tensor([0.9, 0.1, 0.5]), b=torch.tensor([0.8, 0.7]))
    # Best of each first (a0, b0: 10 + 20 + 5 = 35), then b1 (0.7): 10 + 40 + 10 = 60 > 50,
    # so nothing more fits, although a2 alone (20 + 20 + 10 = 50) would.
    masks = budget_masks(scores, costs, budget=0.5)
    assert masks['a'].tolist() == [True, False, False]
    assert masks['b'].tolist() == [True, False]
    masks = budget_masks(scores, costs, budget=0.6)
    assert masks['b'].tolist() == [True, True]
    assert costs.fraction(masks) == pytest.approx(0.6)
    # A budget below the best filters' cost still keeps one filter per group.
    masks = budget_masks(scores, costs, budget=0.01)
    assert [int(m.sum()) for m in masks.values()] == [1, 1]


def test_the_budget_needs_the_traced_cost_model(images):
    pruner = build_pruner(param_budget=0.5)
    with pytest.raises(RuntimeError, match='forward pass'):
        pruner.keep_masks(pruner.scores())
    pruner.trace(images)
    assert pruner.keep_masks(pruner.scores())


def test_budget_masks_the_model_and_keeps_every_layer_alive(images):
    pruner = build_pruner(param_budget=0.3)
    spread_scores(pruner)
    pruner.trace(images)
    masks = pruner.keep_masks(pruner.scores())
    assert all(m.any() for m in masks.values())
    assert 0.28 < float(pruner.kept_fraction(masks)) <= 0.3
    pruner.train()
    assert pruner.gates(pruner.scores())['backbone_conv1'].min() > 0  # soft until switched on
    pruner.budget_mask_enabled = True
    gates = pruner.gates(pruner.scores())
    assert all(torch.equal(gates[k] > 0, masks[k]) for k in masks)


def test_threshold_prunes_without_a_budget():
    pruner = build_pruner(prune_threshold=0.5)
    spread_scores(pruner)
    scores = pruner.scores()
    masks = pruner.keep_masks(scores)
    for key, s in scores.items():
        expected = s >= 0.5
        expected[s.argmax()] = True
        assert torch.equal(masks[key], expected)


def test_it_is_a_plain_registered_model():
    from mmpretrain.registry import MODELS
    assert MODELS.get('SbFPruner') is SbFPruner


def test_wraps_an_mmaction2_recognizer_unchanged():
    """Any toolbox's CNN: the wrapped model is built in its own scope (``_scope_``)."""
    import mmaction.models  # noqa: F401  (registers mmaction2's models)
    from mmaction.structures import ActionDataSample
    recognizer = dict(
        type='Recognizer2D',
        _scope_='mmaction',
        backbone=dict(type='ResNet', depth=18, pretrained=None),
        cls_head=dict(type='TSNHead', num_classes=5, in_channels=512, average_clips='prob'),
        data_preprocessor=dict(type='ActionDataPreprocessor', format_shape='NCHW'))
    pruner = build_pruner(model=recognizer, include=[r'backbone\..*conv\d\.conv'],
                          groups=[r'backbone\.(conv1|layer1\.\d+\.conv2)\.conv'])
    assert type(pruner.model).__name__ == 'Recognizer2D'
    videos = torch.randn(2, 3, 3, 32, 32)  # (N, clips x frames, C, H, W)
    samples = [ActionDataSample().set_gt_label(torch.tensor([i])) for i in range(2)]
    pruner.train()
    losses = pruner(videos, samples, mode='loss')
    assert torch.isfinite(losses['loss_cls'] + losses['loss_sbf'])
    assert pruner._gated_modules['backbone_layer1_0_conv1_conv'] == ['backbone.layer1.0.conv1.bn']


def test_scores_follow_the_filter_weights(pruner):
    """S_l is computed from W_l: editing one filter moves its layer's scores, no other's."""
    spread_scores(pruner)
    before = pruner.scores()
    with torch.no_grad():
        pruner.conv('backbone.layer2.1.conv1').weight[3] *= 3.0
    after = pruner.scores()
    changed = [k for k in before if not torch.equal(before[k], after[k])]
    assert changed == ['backbone_layer2_1_conv1']
