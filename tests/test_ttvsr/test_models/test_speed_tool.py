"""A very short run of projects/ttvsr/tools/speed.py at toy sizes."""
from __future__ import annotations

import json

import torch

from projects.common import benchmark as harness
from projects.ttvsr.models import TTVSRNet
from tests.conftest import load_tool

SPEED = 'projects/ttvsr/tools/speed.py'


def test_speed_tool_reports_params_ratio_and_gather(tmp_path, capsys):
    out = str(tmp_path / 'speed.json')
    result = load_tool(SPEED).main(['--frames', '2', '--size', '8', '--repeats', '1',
                                    '--mid-channels', '8', '--num-blocks', '1',
                                    '--basicvsr-blocks', '1', '--gather-repeats', '1',
                                    '--out', out])
    with open(out) as f:
        assert json.load(f) == json.loads(json.dumps(result))
    assert result['params']['ttvsr_spec'] == 6_773_615
    assert 1_440_300 < result['params']['ttvsr'] < 6_773_615  # SPyNet + toy layers
    assert result['ttvsr_over_basicvsr'] > 0
    assert result['gather_case']['tokens'] == [1, 1, 2, 2, 128]
    assert set(result['gather']['pytorch']) == {'forward_ms', 'forward_backward_ms'}
    assert 'TTVSR / BasicVSR time per frame' in capsys.readouterr().out


def test_speed_tool_gather_only_at_a_chosen_size():
    result = load_tool(SPEED).main(['--skip-models', '--mid-channels', '8', '--num-blocks', '1',
                                    '--basicvsr-blocks', '1', '--gather-size', '8', '12',
                                    '--gather-keyframes', '2', '--gather-repeats', '1'])
    assert 'seconds_per_frame' not in result
    assert result['gather_case']['tokens'] == [1, 2, 2, 3, 128]


def test_speed_knobs_are_timed_with_their_output_difference():
    torch.manual_seed(0)
    net = TTVSRNet(mid_channels=8, num_blocks=1, num_extract_blocks=1,
                   channels_last=False).eval()
    clip = torch.rand(1, 3, 3, 16, 16)
    out = harness.time_knobs(dict(ttvsr=net), clip, ['channels_last', 'bf16'], 1)['ttvsr']
    assert set(out) == {'fp32', 'channels_last', 'bf16'}
    assert out['fp32']['max_abs_diff'] == 0
    assert out['channels_last']['max_abs_diff'] < 1e-5
    assert out['bf16']['max_abs_diff'] > 1e-5  # bf16 rounds: not a free knob
    assert out['fp32']['speedup'] == 1.0


def test_channels_last_default_computes_the_plain_layouts_outputs():
    torch.manual_seed(0)
    plain = TTVSRNet(mid_channels=8, num_blocks=1, num_extract_blocks=1,
                     channels_last=False).eval()
    fast = TTVSRNet(mid_channels=8, num_blocks=1, num_extract_blocks=1).eval()
    fast.load_state_dict(plain.state_dict())
    weight = fast.resblocks.main[0].weight
    assert weight.is_contiguous(memory_format=torch.channels_last)
    clip = torch.rand(1, 3, 3, 16, 20)
    with torch.no_grad():
        torch.testing.assert_close(fast(clip), plain(clip), rtol=1e-5, atol=1e-5)
