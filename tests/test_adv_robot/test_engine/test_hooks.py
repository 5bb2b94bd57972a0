"""The ε / κ ramp."""
from types import SimpleNamespace

import pytest

from projects.adv_robot.engine import RobustScheduleHook


def test_ramp_sets_eps_scale_and_kappa():
    hook = RobustScheduleHook(warmup_iters=10, ramp_iters=20)
    model = SimpleNamespace(eps_scale=1.0, kappa=0.5, final_kappa=0.5)
    seen = []
    for it in (0, 10, 20, 30, 100):
        hook.before_train_iter(SimpleNamespace(model=model, iter=it), 0)
        seen.append((model.eps_scale, model.kappa))
    assert seen == [(0.0, 1.0), (0.0, 1.0), (0.5, 0.75), (1.0, 0.5), (1.0, 0.5)]
    with pytest.raises(ValueError, match='ramp_iters'):
        RobustScheduleHook(ramp_iters=-1)
