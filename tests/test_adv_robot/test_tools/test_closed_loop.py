"""Closed-loop driving of a policy, nominally and under attack."""
import torch
from mmpretrain.registry import MODELS

from projects.adv_robot.datasets.embedded_lane_keeping import LaneKeepingSim
from tests.conftest import load_tool

closed_loop = load_tool('projects/adv_robot/tools/closed_loop.py')


def policy():
    torch.manual_seed(0)
    model = MODELS.build(dict(
        type='RobustModel', task='regression',
        model=dict(type='ImageClassifier',
                   backbone=dict(type='ConvNet', channels=(4, 4), kernel_sizes=(5, 3),
                                 strides=(4, 2), pool_size=2, fc_channels=(8, )),
                   head=dict(type='RegressionHead', in_channels=8)),
        data_preprocessor=dict(mean=[0.0], std=[255.0])))
    model.init_weights()
    return model.eval()


def test_drive_is_deterministic_and_the_attack_changes_the_commands():
    import projects.adv_robot  # noqa: F401
    model, sim = policy(), LaneKeepingSim(max_steps=8)
    seeds = [closed_loop.EVAL_SEED_OFFSET, closed_loop.EVAL_SEED_OFFSET + 1]
    first = closed_loop.drive(model, sim, seeds)
    assert first == closed_loop.drive(model, sim, seeds)
    assert set(first) == {'crash_rate', 'deviation', 'distance'}
    assert 0 < first['distance'] < 8  # 8 steps of 0.1 s at 8.3 m/s
    image = sim.reset(seeds[0])
    attack = MODELS.build(dict(type='PGD', eps=8 / 255, steps=3))
    clean = closed_loop.policy_step(model, image)
    attacked = closed_loop.policy_step(model, image, attack, expert=clean + 1.0)
    # The attacker moves the command away from the expert's.
    assert abs(attacked - (clean + 1.0)) > abs(clean - (clean + 1.0))
    sim.close()
