"""convert_adafocus_lists.py (projects/adafocus_v2/tools/data/activitynet): official split files to
mmaction2 lists."""
from __future__ import annotations

import os
import os.path as osp
import runpy

import pytest

from tests.conftest import REPO_ROOT

convert = runpy.run_path(osp.join(
    REPO_ROOT, 'projects/adafocus_v2/tools/data/activitynet/convert_adafocus_lists.py'))['convert']


def test_comma_separated_multi_label(tmp_path):
    src, dst = tmp_path / 'actnet_train_split.txt', tmp_path / 'out.txt'
    src.write_text('frames/v_abc,120,3,17\nframes/v_def,90,5\n')
    assert convert(str(src), str(dst), strip='frames/') == 2
    assert dst.read_text() == 'v_abc 120 3 17\nv_def 90 5\n'


def test_space_separated_paths_with_spaces_are_linked(tmp_path):
    root = tmp_path / 'rawframes'
    os.makedirs(root / 'juggling balls' / 'clip 1')
    src, dst = tmp_path / 'mini_train_videofolder.txt', tmp_path / 'out.txt'
    src.write_text('juggling balls/clip 1 300 42\n')
    convert(str(src), str(dst), link_root=str(root))
    assert dst.read_text() == 'juggling_balls/clip_1 300 42\n'
    assert osp.isdir(root / 'juggling_balls/clip_1')


def test_unparsable_line_is_named(tmp_path):
    src = tmp_path / 'bad.txt'
    src.write_text('frames/v_abc,many,3\n')
    with pytest.raises(ValueError, match="frames/v_abc,many,3"):
        convert(str(src), str(tmp_path / 'out.txt'))
