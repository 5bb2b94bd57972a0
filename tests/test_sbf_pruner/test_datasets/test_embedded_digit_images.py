"""The embedded digit-images dataset: deterministic, disjoint splits, read by mmpretrain."""
from __future__ import annotations

import filecmp
import os.path as osp

import pytest
from mmengine.registry import init_default_scope
from mmpretrain.registry import DATASETS

from projects.sbf_pruner.datasets.embedded_digit_images import DigitImagesBuilder

SPLITS = dict(train=0.5, val=0.25, test=0.25)


@pytest.fixture(scope='module')
def small(tmp_path_factory) -> str:
    return DigitImagesBuilder(root=str(tmp_path_factory.mktemp('di') / 'a'),
                              splits=SPLITS).build()


def read(root: str, split: str) -> list[str]:
    with open(osp.join(root, 'meta', f'{split}.txt')) as f:
        return f.read().splitlines()


def test_splits_cover_the_digits_disjointly(small):
    sizes = {split: len(read(small, split)) for split in SPLITS}
    assert sum(sizes.values()) == 1797  # every load_digits sample, each in one split
    assert sizes['train'] == pytest.approx(1797 / 2, abs=1)
    labels = {line.split()[1] for line in read(small, 'test')}
    assert labels == {str(i) for i in range(10)}


def test_same_seed_same_files(small, tmp_path):
    again = DigitImagesBuilder(root=str(tmp_path / 'b'), splits=SPLITS).build()
    for name in ('train/00000.png', 'test/00007.png', 'meta/val.txt'):
        assert filecmp.cmp(osp.join(small, name), osp.join(again, name), shallow=False)


def test_mmpretrain_custom_dataset_reads_it(small):
    init_default_scope('mmpretrain')
    dataset = DATASETS.build(dict(
        type='CustomDataset', data_root=small, ann_file='meta/val.txt', data_prefix='',
        pipeline=[dict(type='LoadImageFromFile'), dict(type='PackInputs')]))
    assert len(dataset) == len(read(small, 'val'))
    sample = dataset[0]
    assert tuple(sample['inputs'].shape) == (3, 32, 32)
    assert int(sample['data_samples'].gt_label) == int(read(small, 'val')[0].split()[1])


@pytest.mark.parametrize('kwargs, culprit', [
    (dict(digit_size=(2, 8)), 'digit_size'),
    (dict(background=1.5), 'background'),
    (dict(splits=dict(train=0.0)), 'splits'),
])
def test_bad_arguments_name_the_culprit(kwargs, culprit, tmp_path):
    with pytest.raises(ValueError, match=culprit):
        DigitImagesBuilder(root=str(tmp_path), **kwargs)
