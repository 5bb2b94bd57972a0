"""RobustModel objectives and interval bounds."""
import pytest
import torch
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample
from torch import nn
from torch.nn import functional as F  # noqa: N812

from projects.adv_robot.models import interval_bounds, mart_loss

CLASSIFIER = dict(
    type='ImageClassifier',
    backbone=dict(type='ConvNet', in_channels=1, channels=(4, 8), kernel_sizes=(3, 3),
                  strides=(2, 2), pool_size=2, fc_channels=(16, )),
    head=dict(type='LinearClsHead', num_classes=3, in_channels=16))
REGRESSOR = dict(CLASSIFIER, head=dict(type='RegressionHead', in_channels=16, out_channels=2))
ATTACK = dict(type='PGD', eps=0.05, steps=3)


def build(method='standard', task='classification', **kwargs):
    torch.manual_seed(0)
    model = MODELS.build(dict(type='RobustModel', method=method, task=task,
                              model=CLASSIFIER if task == 'classification' else REGRESSOR,
                              attack=ATTACK, **kwargs))
    model.init_weights()
    return model


def batch(task='classification', n=4):
    generator = torch.Generator().manual_seed(3)
    x = torch.rand(n, 1, 16, 16, generator=generator)
    samples = []
    for i in range(n):
        sample = DataSample()
        if task == 'classification':
            sample.set_gt_label(i % 3)
        else:
            sample.set_field(torch.randn(2, generator=generator), 'gt_value')
        samples.append(sample)
    return x, samples


def total(losses):
    return sum(losses.values())


def test_trades_reduces_to_cross_entropy_at_beta_zero():
    model = build('trades', beta=0.0)
    x, samples = batch()
    ce = F.cross_entropy(model(x, mode='tensor'), torch.tensor([0, 1, 2, 0]))
    torch.testing.assert_close(total(model(x, samples, mode='loss')), ce)
    # With β > 0 the robust term adds to it.
    model.beta = 6.0
    assert total(model(x, samples, mode='loss')) > ce


@pytest.mark.parametrize('method,task', [
    ('standard', 'classification'), ('pgd_at', 'classification'), ('trades', 'classification'),
    ('mart', 'classification'), ('ibp', 'classification'), ('standard', 'regression'),
    ('pgd_at', 'regression'), ('trades', 'regression'), ('ibp', 'regression')])
def test_every_objective_trains_every_parameter(method, task):
    model = build(method, task)
    model.train()
    x, samples = batch(task)
    loss = total(model(x, samples, mode='loss'))
    loss.backward()
    assert torch.isfinite(loss)
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())
    assert model.model.training, 'the attack must restore the training mode'


def test_pgd_at_loss_exceeds_the_nominal_one():
    model = build('pgd_at')
    x, samples = batch()
    nominal = F.cross_entropy(model(x, mode='tensor'), torch.tensor([0, 1, 2, 0]))
    assert total(model(x, samples, mode='loss')) > nominal


def test_eps_scale_zero_gives_the_nominal_loss():
    for method in ('pgd_at', 'ibp'):
        model = build(method)
        model.eps_scale, model.kappa = 0.0, 0.5
        x, samples = batch()
        nominal = F.cross_entropy(model(x, mode='tensor'), torch.tensor([0, 1, 2, 0]))
        torch.testing.assert_close(total(model(x, samples, mode='loss')), nominal)


def test_mart_matches_a_hand_computation():
    clean, adv = torch.tensor([[2.0, 0.0, -1.0]]), torch.tensor([[0.5, 1.0, 0.0]])
    y = torch.tensor([0])
    p_adv, p_clean = adv.softmax(1)[0], clean.softmax(1)[0]
    bce = -torch.log(p_adv[0]) - torch.log(1 - p_adv[1])
    kl = (p_clean * (p_clean.log() - p_adv.log())).sum() * (1 - p_clean[0])
    got_bce, got_kl = mart_loss(clean, adv, y, lam=5.0)
    torch.testing.assert_close(got_bce, bce)
    torch.testing.assert_close(got_kl, 5.0 * kl)


@pytest.mark.parametrize('task', ['classification', 'regression'])
def test_ibp_bounds_contain_sampled_perturbed_outputs(task):
    model = build('ibp', task).eval()
    x, _ = batch(task, n=2)
    eps = 0.05
    low, high = interval_bounds(model.model, x - eps, x + eps)
    assert (low <= high).all()
    with torch.no_grad():
        for _ in range(200):
            out = model(x + torch.empty_like(x).uniform_(-eps, eps), mode='tensor')
            assert (out >= low - 1e-5).all() and (out <= high + 1e-5).all()
        corners = model(x + eps * torch.randint(0, 2, x.shape).float().mul(2).sub(1),
                        mode='tensor')
    assert (corners >= low - 1e-5).all() and (corners <= high + 1e-5).all()
    # At ε = 0 the bounds are the output itself.
    low0, high0 = interval_bounds(model.model, x, x)
    torch.testing.assert_close(low0, model(x, mode='tensor'))
    torch.testing.assert_close(high0, low0)


def test_ibp_rejects_unsupported_layers_and_bad_configs():
    with pytest.raises(TypeError, match='BatchNorm'):
        interval_bounds(nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2)),
                        torch.zeros(1, 1, 4, 4), torch.ones(1, 1, 4, 4))
    with pytest.raises(ValueError, match='classification only'):
        build('mart', 'regression')
    with pytest.raises(ValueError, match='needs an `attack`'):
        MODELS.build(dict(type='RobustModel', method='pgd_at', model=CLASSIFIER))


def test_test_attack_lowers_accuracy_of_predictions():
    model = build('standard', test_attack=dict(type='PGD', eps=0.3, steps=5)).eval()
    x, samples = batch()
    clean = model.model(x, [DataSample().set_gt_label(s.gt_label) for s in samples], 'predict')
    for sample, pred in zip(samples, clean, strict=True):
        sample.set_gt_label(pred.pred_label)  # the clean prediction is "right"
    attacked = model(x, samples, mode='predict')
    changed = sum(int(a.pred_label != c.pred_label) for a, c in zip(attacked, clean,
                                                                     strict=True))
    assert changed > 0
