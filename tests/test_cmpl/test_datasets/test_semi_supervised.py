"""SemiSupervisedDataset and SemiSupervisedSampler: mu ratio, determinism, two ranks."""
from __future__ import annotations

import collections
import os.path as osp

import pytest
from mmaction.registry import DATA_SAMPLERS, DATASETS
from mmengine.config import Config

from tests.conftest import REPO_ROOT
from tests.test_cmpl.conftest import TINY


def index_only(tmp_path, videos: int = 40, mu: int = 3, **kwargs):
    """A wrapper over a list file with no pipeline (only its index logic is used)."""
    lines = [f'{i:03d}.mp4 {i % 4}' for i in range(videos)]
    (tmp_path / 'train.txt').write_text('\n'.join(lines) + '\n')
    return DATASETS.build(dict(
        type='SemiSupervisedDataset',
        dataset=dict(type='VideoDataset', ann_file=str(tmp_path / 'train.txt')),
        labeled_pipeline=[], unlabeled_pipeline=[], percent=10, num_unlabeled=mu, **kwargs))


def test_items_hold_one_labeled_and_mu_unlabeled_clips(digits_root):
    cfg = Config.fromfile(osp.join(REPO_ROOT, TINY))
    dataset_cfg = cfg.train_dataloader.dataset.dataset.to_dict()
    dataset_cfg['dataset'].update(ann_file=f'{digits_root}/train_list.txt',
                                  data_prefix=dict(video=f'{digits_root}/videos'))
    dataset_cfg.update(split_dir=f'{digits_root}/splits', num_unlabeled=3)
    dataset = DATASETS.build(dataset_cfg)
    item = dataset[(1, 0)]
    shapes = {key: tuple(value.shape) for key, value in item['inputs'].items()}
    assert shapes == {'primary': (1, 3, 8, 32, 32), 'auxiliary': (1, 3, 16, 32, 32),
                      'primary_weak': (3, 3, 8, 32, 32), 'primary_strong': (3, 3, 8, 32, 32),
                      'auxiliary_weak': (3, 3, 16, 32, 32),
                      'auxiliary_strong': (3, 3, 16, 32, 32)}
    meta = item['data_samples'].metainfo
    assert meta['unlabeled_indices'] == dataset.indices(0, 1)[1]
    truth = [int(dataset.unlabeled.get_data_info(i)['label'])
             for i in meta['unlabeled_indices']]
    assert meta['unlabeled_labels'] == truth


def test_choice_depends_on_seed_epoch_and_index_only(tmp_path):
    dataset = index_only(tmp_path)
    assert len(dataset) == 12  # ceil(36 unlabeled / mu 3): one pass over the unlabeled set
    first = [dataset.indices(i, 0) for i in range(len(dataset))]
    assert [dataset.indices(i, 0) for i in range(len(dataset))] == first
    assert [dataset.indices(i, 1) for i in range(len(dataset))] != first
    other = index_only(tmp_path, seed=1)
    assert [other.indices(i, 0) for i in range(len(dataset))] != first
    covered = sorted(j for _, group in first for j in group)
    assert covered == list(range(36))  # every unlabeled clip once per epoch


@pytest.mark.parametrize('epoch', [0, 5])
def test_two_ranks_get_disjoint_unlabeled_clips_at_ratio_mu(tmp_path, monkeypatch, epoch):
    dataset = index_only(tmp_path, videos=44, mu=2)  # 4 labeled, 40 unlabeled, 20 items
    per_rank = []
    for rank in range(2):
        monkeypatch.setattr('mmengine.dataset.sampler.get_dist_info', lambda r=rank: (r, 2))
        sampler = DATA_SAMPLERS.build(dict(type='SemiSupervisedSampler', dataset=dataset,
                                           shuffle=True, seed=0))
        sampler.set_epoch(epoch)
        keys = list(sampler)
        assert all(k[0] == epoch for k in keys)
        per_rank.append([dataset.indices(i, e) for e, i in keys])
    for groups in per_rank:
        assert len(groups) == 10 and all(len(u) == 2 for _, u in groups)  # mu per labeled
    unlabeled = [[j for _, u in groups for j in u] for groups in per_rank]
    assert not set(unlabeled[0]) & set(unlabeled[1])
    assert sorted(unlabeled[0] + unlabeled[1]) == list(range(40))
    labeled = collections.Counter(lab for groups in per_rank for lab, _ in groups)
    assert sorted(labeled.values()) == [5, 5, 5, 5]  # each labeled clip equally often


def test_labeled_only_and_bad_arguments(tmp_path):
    dataset = index_only(tmp_path, mu=0)
    assert len(dataset) == 4 and dataset.indices(2, 0)[1] == []
    with pytest.raises(ValueError, match='num_unlabeled'):
        index_only(tmp_path, mu=-1)
    with pytest.raises(KeyError, match='ann_file'):
        DATASETS.build(dict(type='SemiSupervisedDataset', dataset=dict(type='VideoDataset'),
                            labeled_pipeline=[], unlabeled_pipeline=[], percent=10))
