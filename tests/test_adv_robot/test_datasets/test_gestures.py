"""Air-drawn digit gestures."""
import numpy as np
from mmpretrain.datasets import CustomDataset

import projects.adv_robot  # noqa: F401  (registers FramesToChannels)
from projects.adv_robot.datasets import FramesToChannels
from projects.adv_robot.datasets.embedded_gestures import GestureBuilder, digit_trajectory


def test_trajectory_visits_every_ink_pixel_once_in_small_steps():
    digit = np.zeros((8, 8), np.uint8)
    digit[1, 2:6] = 255   # a "7": top bar, then the diagonal
    for i in range(5):
        digit[2 + i, 5 - i] = 255
    path = digit_trajectory(digit)
    assert len(path) == 9 and len({tuple(p) for p in path}) == 9
    assert tuple(path[0]) == (1, 2)
    assert np.abs(np.diff(path, axis=0)).max() <= 1


def test_frames_to_channels_round_trip():
    frames = np.arange(3 * 4 * 5).reshape(3, 4, 5)  # H=4, W=5, T=3
    tiled = np.concatenate(list(frames), axis=1)
    out = FramesToChannels(3)(dict(img=tiled))['img']
    assert out.shape == (4, 5, 3) and np.array_equal(out[..., 1], frames[1])


def test_builder_writes_a_custom_dataset(tmp_path):
    root = GestureBuilder(root=str(tmp_path / 'g'), **GestureBuilder.smallest_args).build()
    dataset = CustomDataset(ann_file='meta/train.txt', data_root=root, data_prefix='',
                            with_label=True, pipeline=[
                                dict(type='LoadImageFromFile', color_type='grayscale'),
                                dict(type='FramesToChannels', num_frames=8),
                                dict(type='PackInputs')])
    item = dataset[0]
    assert tuple(item['inputs'].shape) == (8, 32, 32)
    # The hand moves: consecutive frames differ where it is.
    frames = item['inputs'].float()
    assert (frames[0] - frames[-1]).abs().max() > 100
