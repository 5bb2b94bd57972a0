"""The features-file dataset and the embedded digit features."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

from projects.ist.datasets import FeaturesDataset
from projects.ist.datasets.embedded_digit_features import DigitFeaturesBuilder


def test_embedded_digits_are_real_samples(tmp_path):
    root = DigitFeaturesBuilder(str(tmp_path / 'd'), samples=dict(train=40, val=10)).build()
    digits = load_digits()
    rows = {tuple(r) for r in (digits.data / 16.0).astype(np.float32)}
    for split, count in (('train', 40), ('val', 10)):
        with np.load(f'{root}/{split}.npz') as data:
            assert data['features'].shape == (count, 64) and data['labels'].dtype == np.int64
            assert all(tuple(r) in rows for r in data['features'])
    dataset = FeaturesDataset(ann_file=f'{root}/train.npz', num_features=64)
    item = dataset[0]
    assert item['inputs'].shape == (64, ) and item['inputs'].dtype == torch.float32
    assert item['data_samples'].gt_label.dtype == torch.int64


def test_bad_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.npz'):
        FeaturesDataset(ann_file=str(tmp_path / 'missing.npz'))
    np.savez(tmp_path / 'wide.npz', features=np.zeros((3, 5), np.float32),
             labels=np.zeros(3, np.int64))
    with pytest.raises(ValueError, match='num_features=4'):
        FeaturesDataset(ann_file=str(tmp_path / 'wide.npz'), num_features=4)
    np.savez(tmp_path / 'keys.npz', x=np.zeros((3, 5)))
    with pytest.raises(KeyError, match='keys.npz'):
        FeaturesDataset(ann_file=str(tmp_path / 'keys.npz'))


def test_converter_repacks_the_official_cache(tmp_path, monkeypatch):
    from tests.conftest import load_tool
    tool = load_tool('projects/ist/tools/data/speech_commands_to_features.py')
    cache = tmp_path / 'cache'
    cache.mkdir()
    for split, count in (('train', 3), ('test', 2)):
        np.save(cache / f'{split}_x.npy', np.random.rand(count, 128, 32))
        np.save(cache / f'{split}_y.npy', np.arange(count))
    out = tmp_path / 'features'
    monkeypatch.setattr('sys.argv', ['x', '--official-cache', str(cache), '--out', str(out)])
    tool.main()
    dataset = FeaturesDataset(ann_file=str(out / 'train.npz'), num_features=4096)
    assert len(dataset) == 3 and dataset[2]['data_samples'].gt_label == 2
    expected = np.load(cache / 'train_x.npy')[1].reshape(-1).astype(np.float32)
    assert np.array_equal(dataset[1]['inputs'].numpy(), expected)
