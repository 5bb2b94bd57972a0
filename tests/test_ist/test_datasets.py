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
