"""A very short run of projects/ttvsr/tools/speed.py at toy sizes."""
from __future__ import annotations

import json

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
