"""Closed-loop evaluation of a lane-keeping policy, nominally and under attack.

Drives the trained policy in highway-env's lane-keeping simulator (the wrapper of
``datasets/embedded_lane_keeping.py``). Under attack, every camera image is perturbed within ε
before the policy sees it, by PGD maximising the squared difference between the policy's
command and the expert's (a white-box attacker that knows the right action). Reports the
"holistic" measures of the study (Lechner et al., RA-L 2023, Sec. I): the crash rate (the car
left its lane), the mean absolute lateral deviation from the lane centre and the distance
driven before a crash or the end of the episode.

Example::

    python projects/adv_robot/tools/closed_loop.py \\
        projects/adv_robot/configs/standard_convnet_1xb64-10e_tiny-lane-keeping.py \\
        work_dirs/standard/epoch_10.pth --episodes 10 --eps 0 0.0078
"""
from __future__ import annotations

import argparse
import json
import os.path as osp
import sys

import numpy as np
import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), *[osp.pardir] * 3)))

# Evaluation episodes use seeds the demonstrations never use (those are below 10**6).
EVAL_SEED_OFFSET = 10**6


def policy_step(model, image: np.ndarray, attack=None, expert: float = 0.0) -> float:
    """The steering command of ``model`` (a RobustModel regressor) for one camera image,
    after ``attack`` perturbed the image when one is given."""
    data = model.data_preprocessor(dict(inputs=[torch.from_numpy(image)[None]]), False)
    inputs = data['inputs']
    if attack is not None:
        inputs = model.perturb(attack, inputs, torch.tensor([[expert]], dtype=torch.float32))
    with torch.no_grad():
        return float(model.outputs(inputs)[0, 0])


def drive(model, sim, seeds, attack=None) -> dict[str, float]:
    """Drives one episode per seed; returns crash rate, mean |lateral| (m) and mean distance.

    Args:
        model: A ``RobustModel`` lane-keeping regressor in eval mode.
        sim (LaneKeepingSim): The simulator.
        seeds (Iterable[int]): Episode seeds.
        attack (PGD, optional): Perturbs every image; None drives nominally.
    """
    crashes, deviations, distances = [], [], []
    for seed in seeds:
        image = sim.reset(seed)
        lateral = []
        while True:
            expert = sim.expert() if attack is not None else 0.0
            image, info = sim.step(policy_step(model, image, attack, expert))
            lateral.append(abs(info['lateral']))
            if info['done']:
                break
        crashes.append(float(info['crashed']))
        deviations.append(float(np.mean(lateral)))
        distances.append(float(info['distance']))
    return dict(crash_rate=float(np.mean(crashes)), deviation=float(np.mean(deviations)),
                distance=float(np.mean(distances)))


def evaluate_closed_loop(model, eps_list, episodes: int = 10, max_steps: int = 150,
                         attack_steps: int = 5) -> dict[str, dict[str, float]]:
    """:func:`drive` for every ε of ``eps_list`` (0 drives nominally) on the same episodes."""
    from mmpretrain.registry import MODELS

    from projects.adv_robot.datasets.embedded_lane_keeping import LaneKeepingSim
    sim = LaneKeepingSim(max_steps=max_steps)
    seeds = range(EVAL_SEED_OFFSET, EVAL_SEED_OFFSET + episodes)
    results = {}
    for eps in eps_list:
        attack = None if eps == 0 else MODELS.build(
            dict(type='PGD', eps=eps, steps=attack_steps, norm='linf', random_start=True))
        results[f'{eps:.4f}'] = drive(model, sim, seeds, attack)
    sim.close()
    return results


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='lane-keeping config')
    parser.add_argument('checkpoint', help='its trained checkpoint')
    parser.add_argument('--episodes', type=int, default=10)
    parser.add_argument('--max-steps', type=int, default=150)
    parser.add_argument('--eps', type=float, nargs='+', default=[0.0, 2 / 255],
                        help='L∞ radii on the [0, 1] pixel scale; 0 drives nominally')
    parser.add_argument('--attack-steps', type=int, default=5)
    parser.add_argument('--out', help='write the results as JSON here')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    import projects  # noqa: F401  (compatibility fixes, as tools/train.py)
    from projects.common.benchmark import load_model
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = load_model(args.config, args.checkpoint)
    results = evaluate_closed_loop(model, args.eps, args.episodes, args.max_steps,
                                   args.attack_steps)
    print(json.dumps(results, indent=2))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=2)
    return results


if __name__ == '__main__':
    main()
