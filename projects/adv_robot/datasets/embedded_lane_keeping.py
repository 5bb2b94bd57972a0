"""Lane keeping from a camera: highway-env's simulator, an expert, and its demonstrations.

The simulator is ``lane-keeping-v0`` of ``highway-env`` (Leurent, 2018): a kinematic bicycle
car driving at 8.3 m/s on a sinusoidal 10 m wide lane, with continuous front-wheel steering.
Its camera image is the greyscale bird's-eye view that the simulator renders around the car
(``GrayscaleObservation``), ``image_size`` pixels square at ``scaling`` pixels per metre.
:class:`LaneKeepingSim` wraps it with a seeded start (position along the lane, lateral offset
and heading error) so that an episode is a deterministic function of its seed, and with the
closed-loop measures of the study: leaving the lane (a crash), lateral deviation, distance.

:func:`expert_steering` is a Stanley controller (Thrun et al., 2006) on the simulator's true
state. :class:`LaneKeepingBuilder` writes its demonstrations in a format mmpretrain loads with
its ``BaseDataset`` (an mmengine JSON annotation file)::

    ROOT/{split}/{episode:04d}_{step:04d}.png   # image_size x image_size, uint8 greyscale
    ROOT/meta/{split}.json                      # {"metainfo": ..., "data_list": [
                                                #   {"img_path": ..., "gt_value": [steer]}]}
    ROOT/mmplug_manifest.json

Demonstrations are driven with noise injected into the executed steering (DART, Laskey et
al., 2017) so that the data covers recoveries from off-centre states; the label is always the
expert's clean command. Splits use disjoint episode seeds.
"""
from __future__ import annotations

import json
import os
import os.path as osp

# highway-env draws with pygame; no window is ever opened (rendering is off-screen).
os.environ.setdefault('SDL_VIDEODRIVER', 'dummy')

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder  # noqa: E402

STEERING_RANGE = np.pi / 3  # highway-env's lane-keeping steering limit (rad) for action 1


class LaneKeepingSim:
    """``lane-keeping-v0`` with a seeded start, a camera image and closed-loop measures.

    Args:
        image_size (int): Side of the square camera image. Defaults to 64.
        scaling (float): Pixels per metre of the camera. Defaults to 3.0.
        max_steps (int): Steps (0.1 s each) of an episode. Defaults to 150.
        start_range (tuple[float, float]): Range of the start along the sinusoidal lane (m).
            Defaults to ``(0, 250)``.
        max_offset (float): Largest initial lateral offset (m). Defaults to 2.0.
        max_heading (float): Largest initial heading error (rad). Defaults to 0.2.
    """

    def __init__(self,
                 image_size: int = 64,
                 scaling: float = 3.0,
                 max_steps: int = 150,
                 start_range: tuple[float, float] = (0.0, 250.0),
                 max_offset: float = 2.0,
                 max_heading: float = 0.2) -> None:
        import gymnasium as gym
        import highway_env  # noqa: F401  (registers the environments)
        self.image_size = image_size
        self.max_steps = max_steps
        self.start_range = start_range
        self.max_offset = max_offset
        self.max_heading = max_heading
        self.env = gym.make('lane-keeping-v0', config=dict(
            observation=dict(type='GrayscaleObservation',
                             observation_shape=(image_size, image_size), stack_size=1,
                             weights=[0.2989, 0.587, 0.114], scaling=scaling,
                             centering_position=[0.5, 0.5]),
            state_noise=0.0, derivative_noise=0.0))
        self.steps = 0
        self.start = 0.0

    @property
    def _env(self):
        return self.env.unwrapped

    @property
    def lane(self):
        """The sinusoidal lane the car drives on."""
        return self._env.road.network.get_lane(('a', 'b', 0))

    def image(self) -> np.ndarray:
        """The camera image (image_size, image_size) uint8 of the current state."""
        observation = self._env.observation_type
        # With SDL's dummy driver the viewer switches itself off, yet off-screen drawing onto
        # its surface works: switch it back on.
        observation.viewer.enabled = True
        return observation.observe()[-1].copy()

    def lane_state(self) -> tuple[float, float, float]:
        """Longitudinal position (m), lateral offset (m) and heading error (rad)."""
        vehicle = self._env.vehicle
        longitudinal, lateral = self.lane.local_coordinates(vehicle.position)
        error = vehicle.heading - self.lane.heading_at(longitudinal)
        return longitudinal, lateral, float(np.arctan2(np.sin(error), np.cos(error)))

    def reset(self, seed: int) -> np.ndarray:
        """Starts an episode determined by ``seed``; returns the first image."""
        self.env.reset(seed=int(seed))
        rng = np.random.default_rng(seed)
        lane = self.lane
        self.start = float(rng.uniform(*self.start_range))
        offset = float(rng.uniform(-self.max_offset, self.max_offset))
        vehicle = self._env.vehicle
        vehicle.position = lane.position(self.start, offset)
        vehicle.heading = lane.heading_at(self.start) + float(
            rng.uniform(-self.max_heading, self.max_heading))
        # The environment switches to the sinusoidal lane once it leaves its entry lane.
        self._env.lane, self._env.lanes = lane, []
        self.steps = 0
        return self.image()

    def step(self, steering: float) -> tuple[np.ndarray, dict]:
        """Applies a steering command in [-1, 1] for 0.1 s.

        Returns:
            tuple[np.ndarray, dict]: The new image, and ``lateral`` (m), ``heading_error``
            (rad), ``distance`` (m along the lane since the start), ``crashed`` (left the
            lane) and ``done`` (crashed or out of steps).
        """
        self.env.step(np.array([np.clip(steering, -1.0, 1.0)], dtype=np.float32))
        self.steps += 1
        longitudinal, lateral, heading = self.lane_state()
        crashed = abs(lateral) > self.lane.width / 2
        info = dict(lateral=lateral, heading_error=heading, distance=longitudinal - self.start,
                    crashed=crashed, done=crashed or self.steps >= self.max_steps)
        return self.image(), info

    def expert(self) -> float:
        """The expert's steering command for the current state."""
        _, lateral, heading = self.lane_state()
        return expert_steering(lateral, heading, self._env.vehicle.speed)

    def close(self) -> None:
        self.env.close()


def expert_steering(lateral: float, heading_error: float, speed: float,
                    gain: float = 1.0) -> float:
    """Stanley steering (Thrun et al., 2006, Eq. 2) as a command in [-1, 1]: cancel the
    heading error and steer back towards the lane centre by ``atan(gain * offset / speed)``."""
    angle = -heading_error - np.arctan2(gain * lateral, max(speed, 1e-3))
    return float(np.clip(angle / STEERING_RANGE, -1.0, 1.0))


@EMBEDDED_DATA.register_module()
class LaneKeepingBuilder(EmbeddedDatasetBuilder):
    """Writes expert demonstrations of lane keeping (see the module docstring).

    Args:
        root (str): Folder the dataset is written to.
        seed (int): Seed of the generator. Defaults to 0.
        episodes (dict[str, int]): Episodes per split. Defaults to
            ``dict(train=40, val=8, test=12)``.
        steps (int): Steps recorded per episode. Defaults to 60.
        image_size (int): Camera image side. Defaults to 64.
        noise (float): Standard deviation of the steering noise injected while recording.
            Defaults to 0.15.
    """

    name = 'lane_keeping'
    version = 1
    smallest_args = dict(episodes=dict(train=2, val=1, test=1), steps=6)

    def __init__(self,
                 root: str,
                 seed: int = 0,
                 episodes: dict[str, int] | None = None,
                 steps: int = 60,
                 image_size: int = 64,
                 noise: float = 0.15) -> None:
        super().__init__(root, seed)
        episodes = dict(train=40, val=8, test=12) if episodes is None else dict(episodes)
        if not episodes or any(int(n) < 1 for n in episodes.values()):
            raise ValueError(f'`episodes` needs at least one episode per split, got {episodes}.')
        if steps < 1:
            raise ValueError(f'`steps` must be at least 1, got {steps}.')
        self.episodes = {k: int(v) for k, v in episodes.items()}
        self.steps = int(steps)
        self.image_size = int(image_size)
        self.noise = float(noise)

    def write(self, root: str, rng: np.random.Generator) -> None:
        """Drives the noisy expert and writes every split's images and annotation file."""
        sim = LaneKeepingSim(image_size=self.image_size, max_steps=self.steps)
        os.makedirs(osp.join(root, 'meta'))
        total = sum(self.episodes.values())
        seeds = iter(rng.choice(10**6, size=total, replace=False))
        for split, count in self.episodes.items():
            os.makedirs(osp.join(root, split))
            data_list = []
            for episode in range(count):
                image = sim.reset(int(next(seeds)))
                for step in range(self.steps):
                    label = sim.expert()
                    name = f'{split}/{episode:04d}_{step:04d}.png'
                    cv2.imwrite(osp.join(root, name), image)
                    data_list.append(dict(img_path=name, gt_value=[round(label, 6)]))
                    image, info = sim.step(label + rng.normal(0, self.noise))
                    if info['done']:
                        break
            with open(osp.join(root, 'meta', f'{split}.json'), 'w') as f:
                json.dump(dict(metainfo=dict(task='lane_keeping', target='steering'),
                               data_list=data_list), f)
        sim.close()
