"""The AdaFocusV2 recognizer: loss terms, the three training switches, errors, predictions."""
from __future__ import annotations

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

from tests.test_adafocus_v2.conftest import tiny_model_cfg

BASE_TERMS = {'loss_cls', 'loss_aux_global', 'loss_aux_local'}


def samples(batch: int, num_classes: int = 5) -> list[ActionDataSample]:
    return [ActionDataSample().set_gt_label(torch.tensor(i % num_classes))
            for i in range(batch)]


def build(**overrides):
    model = MODELS.build(tiny_model_cfg(**overrides))
    model.init_weights()
    return model


def grads(module) -> list[torch.Tensor]:
    return [p.grad for p in module.parameters() if p.grad is not None and p.grad.abs().sum() > 0]


def test_every_loss_term_is_present_and_averaged_over_branches():
    model = build()
    inputs = torch.randn(3, 4, 3, 32, 32)
    losses = model(inputs, samples(3), mode='loss')
    assert set(losses) == BASE_TERMS | {f'{k}_random' for k in BASE_TERMS}
    for name, value in losses.items():
        assert torch.isfinite(value) and value > 0, name
    # The same policy branch alone (no dropout, BN on batch statistics) weighs twice as much:
    # the total is the mean of the two branches.
    model.diversity_augmentation = False
    alone = model(inputs, samples(3), mode='loss')
    for name in BASE_TERMS:
        torch.testing.assert_close(alone[name], 2 * losses[name])


def test_auxiliary_supervision_switch():
    model = build(aux_supervision=False)
    losses = model(torch.randn(2, 4, 3, 32, 32), samples(2), mode='loss')
    assert set(losses) == {'loss_cls', 'loss_cls_random'}
    assert not hasattr(model, 'global_encoder_fc') and not hasattr(model, 'local_encoder_fc')


def test_diversity_augmentation_switch_adds_a_random_patch_branch(monkeypatch):
    seen = []
    for diversity in (True, False):
        model = build(diversity_augmentation=diversity)
        calls = []
        focus = model.focus
        monkeypatch.setattr(model, 'focus', lambda f, a, calls=calls, focus=focus:
                            calls.append(a.detach().clone()) or focus(f, a))
        losses = model(torch.randn(2, 4, 3, 32, 32), samples(2), mode='loss')
        seen.append((diversity, calls, set(losses)))
    (_, with_calls, with_keys), (_, without_calls, without_keys) = seen
    assert len(with_calls) == 2 and len(without_calls) == 1
    assert without_keys == BASE_TERMS
    policy_actions, random_actions = with_calls
    assert random_actions.shape == policy_actions.shape == (2, 4, 2)
    assert not torch.allclose(random_actions, policy_actions)
    # Variant A draws a location for every frame of every video, not one shared by a video's
    # frames or by the batch.
    assert not torch.allclose(random_actions[:, 1:], random_actions[:, :1].expand(-1, 3, -1))
    assert not torch.allclose(random_actions[0], random_actions[1])


@pytest.mark.parametrize('stop_gradient', [True, False])
def test_stop_gradient_switch(stop_gradient):
    model = build(stop_gradient=stop_gradient)
    _, maps = model.glance(torch.randn(2, 4, 3, 32, 32))
    model.choose_patches(maps).sum().backward()
    assert bool(grads(model.global_encoder)) is not stop_gradient
    assert grads(model.policy)


def test_policy_learns_through_the_crop():
    model = build()
    losses = model(torch.randn(2, 4, 3, 32, 32), samples(2), mode='loss')
    losses['loss_cls'].backward()  # the policy branch's f_C loss only
    assert grads(model.policy)
    assert grads(model.local_encoder) and grads(model.global_encoder)


def test_tsm_variant_trains_encoders_only_through_auxiliary_heads():
    model = build(num_frames=2, num_focus_frames=3, aux_per_frame=False,
                  policy=dict(type='PolicyNetwork', in_channels=128, spatial_size=4,
                              num_frames=2, reduced_channels=8, hidden_dims=(16, 8),
                              recurrent=False, per_clip=True),
                  classifier=dict(type='DetachedFusionHead', global_channels=128,
                                  local_channels=128, num_classes=5, dropout=0.0))
    losses = model(torch.randn(2, 5, 3, 32, 32), samples(2), mode='loss')
    assert set(losses) == BASE_TERMS | {f'{k}_random' for k in BASE_TERMS}
    losses['loss_cls'].backward(retain_graph=True)
    assert not grads(model.global_encoder) and not grads(model.policy)
    losses['loss_aux_local'].backward()
    assert grads(model.local_encoder) and grads(model.policy)


def test_frame_count_must_match_the_config():
    model = build()
    with pytest.raises(ValueError, match=r'got 6 frames per video but the config says '
                                         r'num_frames=4'):
        model(torch.randn(1, 6, 3, 32, 32), samples(1), mode='loss')


def test_parts_must_agree_on_the_frame_count():
    cfg = tiny_model_cfg()
    cfg['classifier']['num_frames'] = 6
    with pytest.raises(ValueError, match=r'classifier.num_frames=6 does not match .* 4 frames'):
        MODELS.build(cfg)


def test_patch_larger_than_frame_is_refused():
    model = build(patch_size=40)
    with pytest.raises(ValueError, match=r'patch_size=40 does not fit in frames of 32x32'):
        model(torch.randn(1, 4, 3, 32, 32), samples(1), mode='predict')


def test_predictions_hold_step_logits_and_patch_locations():
    model = build().eval()
    with torch.no_grad():
        out = model(torch.randn(2, 4, 3, 32, 32), samples(2), mode='predict')
    assert len(out) == 2
    for sample in out:
        assert sample.step_logits.shape == (4, 5)
        assert sample.actions.shape == (4, 2)
        torch.testing.assert_close(sample.pred_score, sample.step_logits[-1].softmax(-1))


def test_multi_label_targets_are_a_uniform_distribution_over_the_labels():
    model = build()
    hot = torch.tensor([1., 0., 1., 0., 0.])
    logits = torch.randn(1, 4, 5)
    targets = model._targets([ActionDataSample().set_gt_label(hot)])
    expected = -(logits.log_softmax(-1)[..., [0, 2]].mean(-1)).mean()
    torch.testing.assert_close(model._cross_entropy(logits, targets), expected)


@pytest.mark.parametrize('encoder', [
    None,  # the unit-test ResNets
    dict(global_encoder=dict(type='MobileNetV2TSM', num_segments=4, shift_div=8,
                             pretrained=None, pretrained2d=False),
         global_channels=1280, policy=dict(type='PolicyNetwork', in_channels=1280,
                                          spatial_size=1, num_frames=4, reduced_channels=8,
                                          hidden_dims=(16,), recurrent=True),
         classifier=dict(type='PoolingClassifier', in_channels=1408, num_classes=5,
                         num_frames=4, hidden_dim=32, dropout=0.0)),
])
def test_channels_last_weights_compute_the_default_layouts_outputs(encoder):
    """The channels-last default only changes the kernels PyTorch picks (also through the
    temporal shift of TSM backbones, which reshapes the feature maps)."""
    overrides = encoder or {}
    plain = build(channels_last=False, **overrides).eval()
    fast = build(**overrides).eval()
    fast.load_state_dict(plain.state_dict())
    weight = next(p for p in fast.global_encoder.parameters() if p.dim() == 4)
    assert weight.is_contiguous(memory_format=torch.channels_last)
    assert next(p for p in plain.global_encoder.parameters()
                if p.dim() == 4).is_contiguous()
    inputs = torch.randn(2, 4, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(fast.run(inputs)['cls'], plain.run(inputs)['cls'],
                                   rtol=1e-4, atol=1e-5)
