"""projects/ttvsr/tools/data/vimeo90k/generate_bd.py: the MATLAB BD script in Python, over a
folder tree."""
from __future__ import annotations

import os.path as osp
import runpy

import cv2
import numpy as np
import pytest

from projects.ttvsr.datasets.degradations import gaussian_kernel_1d
from tests.conftest import REPO_ROOT


def test_generate_bd_mirrors_the_tree_and_matches_the_matlab_script(tmp_path):
    generate = runpy.run_path(
        osp.join(REPO_ROOT, 'projects/ttvsr/tools/data/vimeo90k/generate_bd.py'))['main']
    gt = np.zeros((24, 28, 3), np.uint8)
    gt[9, 13] = 255  # an impulse: its blurred copy shows the kernel and the sampling offsets
    for clip in ('00001/0001', '00001/0002'):
        (tmp_path / 'GT' / clip).mkdir(parents=True)
        cv2.imwrite(str(tmp_path / 'GT' / clip / 'im1.png'), gt)
    assert generate([str(tmp_path / 'GT'), str(tmp_path / 'BD')]) == 2
    lr = cv2.imread(str(tmp_path / 'BD/00001/0002/im1.png'))
    # MATLAB img(2:4:end-2): rows 1, 5, ..., 21 of 24 and columns 1, 5, ..., 25 of 28.
    assert lr.shape == (6, 7, 3)
    # Output (i, j) sums the kernel over GT rows 4i + 1 - 5 ... 4i + 1 + 6; the impulse at
    # (9, 13) lands at kernel taps (9 - 4i + 4, 13 - 4j + 4): (5, 5) for (i, j) = (2, 3).
    g = gaussian_kernel_1d(1.6)
    expected = np.zeros((6, 7))
    for i in range(6):
        for j in range(7):
            a, b = 9 - (4 * i + 1) + 5, 13 - (4 * j + 1) + 5
            if 0 <= a < 12 and 0 <= b < 12:
                expected[i, j] = 255 * g[a] * g[b]
    np.testing.assert_array_equal(lr[..., 0], np.round(expected))
    with pytest.raises(FileExistsError, match='--overwrite'):
        generate([str(tmp_path / 'GT'), str(tmp_path / 'BD')])
    with pytest.raises(FileNotFoundError, match='not a folder'):
        generate([str(tmp_path / 'missing'), str(tmp_path / 'BD2')])
