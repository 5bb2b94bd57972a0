"""CCC and the 1 − CCC loss."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from projects.jca_fusion.models import CCCLoss, concordance_cc


def numpy_ccc(x: np.ndarray, y: np.ndarray) -> float:
    return 2 * np.cov(x, y, bias=True)[0, 1] / (x.var() + y.var() + (x.mean() - y.mean()) ** 2)


def test_ccc_equals_numpy():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=50), rng.normal(size=50) * 0.5 + 0.2
    y = 0.6 * x + y
    got = concordance_cc(torch.tensor(x), torch.tensor(y), eps=0.0)
    assert float(got) == pytest.approx(numpy_ccc(x, y), rel=1e-9)
    # CCC penalises a shift that Pearson's r ignores.
    assert float(concordance_cc(torch.tensor(x), torch.tensor(x + 1.0))) < 0.9


def test_loss_is_zero_on_perfect_predictions():
    target = torch.linspace(-1, 1, 20)
    assert float(CCCLoss()(target.clone(), target)) == pytest.approx(0.0, abs=1e-6)
    assert float(CCCLoss()(-target, target)) == pytest.approx(2.0, abs=1e-6)


def test_loss_ignores_masked_steps_and_has_gradient():
    torch.manual_seed(0)
    target = torch.randn(3, 4)
    pred = target.clone().requires_grad_(True)
    valid = torch.ones(3, 4, dtype=torch.bool)
    valid[0, :2] = False
    with torch.no_grad():
        pred[0, :2] = 10.0  # garbage where there is no label
    loss = CCCLoss()(pred, target, valid)
    assert float(loss) == pytest.approx(0.0, abs=1e-6)
    noisy = (target + torch.randn(3, 4)).requires_grad_(True)
    CCCLoss()(noisy, target, valid).backward()
    assert noisy.grad[valid].abs().sum() > 0 and noisy.grad[~valid].abs().sum() == 0


def test_loss_without_labels_is_zero_but_connected():
    pred = torch.randn(2, 3, requires_grad=True)
    loss = CCCLoss()(pred, torch.zeros(2, 3), torch.zeros(2, 3, dtype=torch.bool))
    loss.backward()
    assert float(loss) == 0.0 and pred.grad is not None
