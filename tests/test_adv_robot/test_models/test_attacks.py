"""PGD / FGSM: they raise the loss, stay in the ε ball and the input range, and match the
adversarial-robustness-toolbox's ProjectedGradientDescent step for step."""
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812

from projects.adv_robot.models import FGSM, PGD, project, task_loss


def small_net(out: int = 4) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(),
                         nn.Linear(4 * 8 * 8, out)).eval()


def inputs(n: int = 6) -> torch.Tensor:
    return torch.rand(n, 1, 8, 8, generator=torch.Generator().manual_seed(1))


def ce_sum(out, y):
    return F.cross_entropy(out, y, reduction='sum')


@pytest.mark.parametrize('norm,eps', [('linf', 0.03), ('l2', 0.5)])
def test_pgd_raises_the_loss_and_stays_in_the_ball(norm, eps):
    net, x = small_net(), inputs()
    y = net(x).argmax(1)
    adv = PGD(eps=eps, steps=10, norm=norm)(net, x, y, ce_sum)
    delta = (adv - x).flatten(1)
    size = delta.abs().max(1).values if norm == 'linf' else delta.norm(dim=1)
    assert (size <= eps + 1e-6).all()
    assert adv.min() >= 0 and adv.max() <= 1
    # Per sample: the attack never ends below the clean loss, and raises it on average.
    clean = F.cross_entropy(net(x), y, reduction='none')
    attacked = F.cross_entropy(net(adv), y, reduction='none')
    assert (attacked >= clean - 1e-6).all() and attacked.mean() > clean.mean() + 1e-3
    # Stronger than a random point of the ball.
    noise = project(torch.randn_like(x), eps, norm)
    assert attacked.mean() > F.cross_entropy(net((x + noise).clamp(0, 1)), y)


def test_pgd_raises_a_regression_loss_and_fgsm_takes_one_full_step():
    net, x = small_net(out=1), inputs()
    y = net(x).detach() + 0.1
    for loss in ('mse', 'l1'):
        def loss_fn(out, target, loss=loss):
            return task_loss(out, target, 'regression', loss, 'sum')
        adv = PGD(eps=0.05, steps=5)(net, x, y, loss_fn)
        assert loss_fn(net(adv), y) > loss_fn(net(x), y)
    adv = FGSM(eps=0.05, bounds=None)(net, x, y, loss_fn)
    assert torch.allclose((adv - x).abs(), torch.full_like(x, 0.05))


def test_eps_zero_and_bad_arguments():
    net, x = small_net(), inputs()
    assert torch.equal(PGD(eps=0.1)(net, x, net(x).argmax(1), ce_sum, eps=0.0), x)
    with pytest.raises(ValueError, match='norm'):
        PGD(eps=0.1, norm='l1')


@pytest.mark.parametrize('norm,eps,step', [('linf', 0.05, 0.01), ('l2', 0.8, 0.2)])
def test_pgd_matches_art(norm, eps, step):
    from art.attacks.evasion import ProjectedGradientDescent
    from art.estimators.classification import PyTorchClassifier
    net, x = small_net(), inputs()
    y = net(x).argmax(1)
    ours = PGD(eps=eps, alpha=step, steps=7, norm=norm, random_start=False)(net, x, y, ce_sum)
    classifier = PyTorchClassifier(model=net, loss=nn.CrossEntropyLoss(), input_shape=(1, 8, 8),
                                   nb_classes=4, clip_values=(0.0, 1.0))
    attack = ProjectedGradientDescent(classifier, norm=np.inf if norm == 'linf' else 2,
                                      eps=eps, eps_step=step, max_iter=7, num_random_init=0,
                                      batch_size=len(x), verbose=False)
    reference = attack.generate(x=x.numpy(), y=np.eye(4)[y.numpy()])
    torch.testing.assert_close(ours, torch.from_numpy(reference), atol=1e-4, rtol=0)
