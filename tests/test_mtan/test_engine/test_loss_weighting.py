"""The loss weightings: DWA's formula on a hand-made history, uncertainty's, equal."""
import math

import pytest
import torch

from projects.mtan.engine import DynamicWeightAverage, EqualWeighting, UncertaintyWeighting

KEYS = ['loss_seg', 'loss_depth', 'loss_normal']


def run_epoch(weighting, per_iter: list[list[float]]) -> None:
    for values in per_iter:
        weighting.record({k: torch.tensor(v) for k, v in zip(KEYS, values, strict=True)})
    weighting.end_epoch()


def test_dwa_follows_eq7_from_epoch_averages():
    dwa = DynamicWeightAverage(temperature=2.0)
    # Epochs 0 and 1: weights 1 (the paper: lambda = 1 for t = 1, 2).
    dwa.start_epoch(0)
    run_epoch(dwa, [[2.0, 4.0, 1.0], [4.0, 2.0, 1.0]])  # averages 3, 3, 1
    assert dwa.weights() == {k: 1.0 for k in KEYS}
    assert dwa.history == [dict(zip(KEYS, [3.0, 3.0, 1.0], strict=True))]
    dwa.start_epoch(1)
    assert dwa.weights() == {k: 1.0 for k in KEYS}
    run_epoch(dwa, [[1.5, 3.0, 0.9]])  # averages 1.5, 3, 0.9
    dwa.start_epoch(2)
    ratios = [1.5 / 3.0, 3.0 / 3.0, 0.9 / 1.0]
    exps = [math.exp(r / 2.0) for r in ratios]
    expected = [3 * e / sum(exps) for e in exps]
    got = [dwa.weights()[k] for k in KEYS]
    assert got == pytest.approx(expected, rel=1e-6)
    assert sum(got) == pytest.approx(3.0)
    # The task whose loss fell least (depth) gets the largest weight.
    assert max(got) == got[1] and min(got) == got[0]
    # Weights stay fixed within an epoch, and the loss dict is weighted with them.
    out = dwa({'loss_seg': torch.tensor(1.0), 'loss_depth': torch.tensor(2.0),
               'loss_normal': torch.tensor(3.0), 'acc': torch.tensor(0.5)})
    assert float(out['loss_depth']) == pytest.approx(2 * expected[1])
    assert float(out['acc']) == 0.5
    # Epoch 3 uses epochs 2 and 1 only.
    run_epoch(dwa, [[1.5, 1.5, 0.9]])
    dwa.start_epoch(3)
    ratios = [1.0, 0.5, 1.0]
    exps = [math.exp(r / 2.0) for r in ratios]
    assert [dwa.weights()[k] for k in KEYS] == pytest.approx([3 * e / sum(exps) for e in exps])


def test_dwa_state_survives_a_checkpoint():
    dwa = DynamicWeightAverage()
    for values in ([1.0, 2.0, 3.0], [0.5, 2.0, 3.0]):
        run_epoch(dwa, [values])
    dwa.start_epoch(2)
    restored = DynamicWeightAverage()
    restored.load_state_dict(dwa.state_dict())
    assert restored.history == dwa.history and restored.weights() == dwa.weights()


def test_large_temperature_gives_equal_weights():
    dwa = DynamicWeightAverage(temperature=1e6)
    for values in ([1.0, 2.0, 3.0], [0.1, 2.0, 9.0]):
        run_epoch(dwa, [values])
    dwa.start_epoch(2)
    assert list(dwa.weights().values()) == pytest.approx([1.0] * 3, abs=1e-5)


def test_uncertainty_weighting_is_the_official_formula():
    unc = UncertaintyWeighting(KEYS)
    with torch.no_grad():
        unc.log_vars.copy_(torch.tensor([-0.5, 0.0, 1.0]))
    losses = {k: torch.tensor(v) for k, v in zip(KEYS, [2.0, 3.0, 4.0], strict=True)}
    out = unc(losses)
    for k, s, v in zip(KEYS, [-0.5, 0.0, 1.0], [2.0, 3.0, 4.0], strict=True):
        assert float(out[k]) == pytest.approx(v / (2 * math.exp(s)) + s / 2)
    sum(out.values()).backward()
    # d/ds (L e^-s / 2 + s / 2) = 1/2 - L e^-s / 2
    expected = [0.5 - v * math.exp(-s) / 2 for s, v in zip([-0.5, 0.0, 1.0], [2.0, 3.0, 4.0],
                                                         strict=True)]
    assert unc.log_vars.grad.tolist() == pytest.approx(expected)


def test_keys_are_found_or_checked():
    equal = EqualWeighting()
    out = equal({'loss_a': torch.tensor(1.0), 'loss_b': [torch.tensor(1.0), torch.tensor(2.0)],
                 'top1': torch.tensor(0.3)})
    assert equal.loss_keys == ['loss_a', 'loss_b'] and float(out['loss_b']) == 3.0
    with pytest.raises(KeyError, match='loss_keys'):
        UncertaintyWeighting(['loss_x'])({'loss_y': torch.tensor(1.0)})
    with pytest.raises(ValueError, match='loss_keys'):
        UncertaintyWeighting([])
