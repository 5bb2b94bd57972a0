"""The lane-keeping simulator wrapper, its expert and the demonstration dataset."""
import json
import os.path as osp

import numpy as np
import pytest

from projects.adv_robot.datasets.embedded_lane_keeping import (
    LaneKeepingBuilder,
    LaneKeepingSim,
    expert_steering,
)


@pytest.fixture(scope='module')
def sim():
    sim = LaneKeepingSim(max_steps=120)
    yield sim
    sim.close()


def rollout(sim, seed, policy):
    image, images, infos = sim.reset(seed), [], []
    while True:
        images.append(image)
        image, info = sim.step(policy())
        infos.append(info)
        if info['done']:
            return np.stack(images), infos


def test_an_episode_is_a_function_of_its_seed(sim):
    noise = np.random.default_rng(0).normal(0, 0.2, size=200)
    steps = iter(range(200))
    a, info_a = rollout(sim, 7, lambda: sim.expert() + noise[next(steps)])
    steps = iter(range(200))
    b, info_b = rollout(sim, 7, lambda: sim.expert() + noise[next(steps)])
    assert np.array_equal(a, b) and info_a == info_b
    c, _ = rollout(sim, 8, sim.expert)
    assert not np.array_equal(a[0], c[0])
    assert a.dtype == np.uint8 and a.shape[1:] == (64, 64) and a.std() > 10


def test_the_expert_stays_in_lane_and_no_steering_crashes(sim):
    for seed in (1, 2, 3):
        _, infos = rollout(sim, seed, sim.expert)
        assert len(infos) == 120 and not infos[-1]['crashed']
        assert max(abs(i['lateral']) for i in infos[30:]) < 1.0  # settled near the centre
        assert infos[-1]['distance'] > 90
    crashed = [rollout(sim, seed, lambda: 0.0)[1][-1]['crashed'] for seed in (1, 2, 3)]
    assert all(crashed), 'the road bends: a policy that does not steer must leave the lane'


def test_expert_steers_back_towards_the_centre():
    assert expert_steering(2.0, 0.0, 8.3) < 0 < expert_steering(-2.0, 0.0, 8.3)
    assert expert_steering(0.0, 0.3, 8.3) < 0
    assert -1 <= expert_steering(100.0, 3.0, 1.0) <= 1


def test_builder_writes_mmpretrain_loadable_demonstrations(tmp_path):
    from mmpretrain.datasets import BaseDataset

    import projects.adv_robot  # noqa: F401  (registers PackRegressionInputs)
    root = LaneKeepingBuilder(root=str(tmp_path / 'lk'), **LaneKeepingBuilder.smallest_args
                              ).build()
    with open(osp.join(root, 'meta', 'train.json')) as f:
        data = json.load(f)['data_list']
    assert len(data) == 12 and all(-1 <= d['gt_value'][0] <= 1 for d in data)
    dataset = BaseDataset(ann_file='meta/val.json', data_root=root, data_prefix='', pipeline=[
        dict(type='LoadImageFromFile', color_type='grayscale'),
        dict(type='PackRegressionInputs')])
    item = dataset[0]
    assert tuple(item['inputs'].shape) == (1, 64, 64)
    assert item['data_samples'].gt_value.shape == (1, )
