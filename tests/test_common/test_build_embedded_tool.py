"""tools/build_embedded.py writes every embedded dataset a config uses."""
from __future__ import annotations

import os.path as osp
import runpy

import pytest

from tests.conftest import REPO_ROOT

DEMO = osp.join(REPO_ROOT, 'configs/demo/tsn_r18_1xb16-1x1x3-15e_moving-digits.py')
build = runpy.run_path(osp.join(REPO_ROOT, 'tools/build_embedded.py'))


def test_builds_the_config_datasets_once(tmp_path):
    root = str(tmp_path / 'digits')
    options = []
    for split in ('train', 'val', 'test'):
        options += [f'{split}_dataloader.dataset.builder.root={root}',
                    f'{split}_dataloader.dataset.builder.videos.train=2',
                    f'{split}_dataloader.dataset.builder.videos.val=1',
                    f'{split}_dataloader.dataset.builder.videos.test=1']
    assert build['main']([DEMO, '--cfg-options', *options]) == [root]
    assert open(osp.join(root, 'train_list.txt')).read().count('\n') == 2


def test_config_without_embedded_data_is_refused(tmp_path):
    config = tmp_path / 'plain.py'
    config.write_text("model = dict(type='X')\n")
    with pytest.raises(SystemExit, match='uses no embedded dataset'):
        build['main']([str(config)])
