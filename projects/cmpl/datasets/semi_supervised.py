"""Labeled / unlabeled data for CMPL: the split, the dataset wrapper and its sampler.

* :func:`split_labeled` cuts any mmaction2 list file (``path label`` or
  ``path total_frames label``) into a labeled part of a given percentage and the unlabeled
  rest, seeded, per class, and writes both as list files once so that every run (and every
  rank) reads the same split.
* :class:`SemiSupervisedDataset` yields, per item, one labeled clip and μ unlabeled clips
  (each with its weak and strong views for both networks), as the paper's batches of B
  labeled and μB unlabeled clips (FixMatch's ratio μ).
* :class:`SemiSupervisedSampler` is mmengine's ``DefaultSampler`` whose indices carry the
  epoch, so that the choice of unlabeled clips changes every epoch, inside dataloader workers
  too.
"""
from __future__ import annotations

import math
import os
import os.path as osp
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence

import numpy as np
import torch
from mmaction.registry import DATA_SAMPLERS, DATASETS
from mmengine.dataset import DefaultSampler
from torch.utils.data import Dataset


def _read_labels(ann_file: str) -> tuple[list[str], list[int]]:
    """Lines and their labels (last field) of an mmaction2 single-label list file."""
    if not osp.isfile(ann_file):
        raise FileNotFoundError(f'split_labeled: list file {ann_file!r} does not exist.')
    with open(ann_file) as f:
        lines = [line.rstrip('\n') for line in f if line.strip()]
    labels = []
    for number, line in enumerate(lines, 1):
        fields = line.split()
        try:
            labels.append(int(fields[-1]))
        except (IndexError, ValueError):
            raise ValueError(f'{ann_file}:{number}: expected "path label" or "path '
                             f'total_frames label" with an integer label, got {line!r}.') from None
    return lines, labels


def split_paths(ann_file: str, percent: float, seed: int,
                out_dir: str | None = None) -> tuple[str, str]:
    """Where :func:`split_labeled` writes the labeled and unlabeled lists of ``ann_file``."""
    stem = osp.splitext(osp.basename(ann_file))[0]
    out_dir = out_dir or osp.dirname(osp.abspath(ann_file))
    name = f'{stem}_{percent:g}pct_seed{seed}'
    return (osp.join(out_dir, f'{name}_labeled.txt'),
            osp.join(out_dir, f'{name}_unlabeled.txt'))


def _write_atomic(path: str, lines: Sequence[str]) -> None:
    tmp = f'{path}.tmp-{uuid.uuid4().hex[:8]}'
    with open(tmp, 'w') as f:
        f.write(''.join(f'{line}\n' for line in lines))
    os.replace(tmp, path)  # concurrent ranks write the same content; the last rename wins


def split_labeled(ann_file: str, percent: float, seed: int = 0,
                  out_dir: str | None = None) -> tuple[str, str]:
    """Writes the labeled / unlabeled split of a list file, or reuses the one on disk.

    Per class, ``max(1, round(n_c · percent / 100))`` lines are drawn without replacement
    (seeded by ``seed``) as labeled, so that every class keeps a label at 1 %; the rest is
    unlabeled. Both files keep the original order and lines (the unlabeled file keeps the
    labels: the model never trains on them; they serve to measure pseudo-label precision).

    Args:
        ann_file (str): The full training list.
        percent (float): Labeled percentage, in (0, 100).
        seed (int): Seed of the draw. Defaults to 0.
        out_dir (str, optional): Folder of the two files. Defaults to ``ann_file``'s.

    Returns:
        tuple[str, str]: Paths of the labeled and the unlabeled list files.
    """
    if not 0 < percent < 100:
        raise ValueError(f'split_labeled: percent={percent} must lie in (0, 100).')
    labeled_path, unlabeled_path = split_paths(ann_file, percent, seed, out_dir)
    if osp.isfile(labeled_path) and osp.isfile(unlabeled_path):
        return labeled_path, unlabeled_path
    lines, labels = _read_labels(ann_file)
    by_class = defaultdict(list)
    for i, label in enumerate(labels):
        by_class[label].append(i)
    rng = np.random.default_rng(seed)
    chosen = set()
    for label in sorted(by_class):
        members = by_class[label]
        count = max(1, int(round(len(members) * percent / 100)))
        chosen.update(int(i) for i in rng.choice(members, size=count, replace=False))
    os.makedirs(osp.dirname(labeled_path), exist_ok=True)
    _write_atomic(labeled_path, [line for i, line in enumerate(lines) if i in chosen])
    _write_atomic(unlabeled_path, [line for i, line in enumerate(lines) if i not in chosen])
    return labeled_path, unlabeled_path


@DATASETS.register_module()
class SemiSupervisedDataset(Dataset):
    """One labeled and ``num_unlabeled`` (μ) unlabeled samples per item.

    The training list ``dataset.ann_file`` is split by :func:`split_labeled`; two copies of
    ``dataset`` read the labeled and the unlabeled list with their own pipelines. An item is
    ``dict(inputs=..., data_samples=...)``: the labeled sample's views (e.g. ``primary``,
    ``auxiliary``) and, concatenated along the first dimension, the μ unlabeled samples' views
    (e.g. ``primary_weak``, ``primary_strong``, ``auxiliary_weak``, ``auxiliary_strong``); the
    unlabeled samples' list labels and indices go into the data sample's metainfo
    (``unlabeled_labels``, ``unlabeled_indices``) for logging only.

    Which samples item ``i`` holds depends only on (``seed``, epoch, ``i``): the epoch's seeded
    permutation of the unlabeled set is cut into consecutive groups of μ, item ``i`` taking
    group ``i`` (so items never share an unlabeled sample within an epoch while the set lasts,
    and the disjoint indices that ranks receive from a distributed sampler give disjoint
    samples), and the labeled sample is entry ``i mod L`` of the epoch's permutation of the
    labeled set. The epoch comes with the index from :class:`SemiSupervisedSampler`
    (``(epoch, i)``); a plain integer index uses :meth:`set_epoch`'s value (0 by default).

    Args:
        dataset (dict): Config of the full training set (an mmaction2 dataset with
            ``ann_file``; its ``pipeline`` is replaced).
        labeled_pipeline (list[dict]): Pipeline of labeled samples (ending in a
            ``MultiView`` of packed views).
        unlabeled_pipeline (list[dict]): Pipeline of unlabeled samples.
        percent (float): Labeled percentage of the training list.
        num_unlabeled (int): μ, unlabeled samples per labeled one (0: labeled only).
            Defaults to 1.
        split_seed (int): Seed of the split. Defaults to 0.
        split_dir (str, optional): Folder of the split files. Defaults to the list's folder.
        num_items (int, optional): Items per epoch. Defaults to one pass over the unlabeled
            set (``ceil(U / μ)``), or over the labeled set when μ = 0.
        seed (int): Seed of the pairing of samples. Defaults to 0.
    """

    def __init__(self,
                 dataset: dict,
                 labeled_pipeline: Sequence[dict],
                 unlabeled_pipeline: Sequence[dict],
                 percent: float,
                 num_unlabeled: int = 1,
                 split_seed: int = 0,
                 split_dir: str | None = None,
                 num_items: int | None = None,
                 seed: int = 0) -> None:
        if num_unlabeled < 0:
            raise ValueError(f'SemiSupervisedDataset: num_unlabeled={num_unlabeled} < 0.')
        dataset = dict(dataset)
        ann_file = dataset.get('ann_file')
        if not ann_file:
            raise KeyError('SemiSupervisedDataset: `dataset` needs the `ann_file` of the full '
                           'training list to split.')
        if dataset.get('data_root') and not osp.isabs(ann_file):
            ann_file = osp.join(dataset['data_root'], ann_file)
        self.ann_files = split_labeled(ann_file, percent, split_seed, split_dir)
        self.labeled = DATASETS.build(
            dict(dataset, ann_file=self.ann_files[0], pipeline=list(labeled_pipeline)))
        self.unlabeled = DATASETS.build(
            dict(dataset, ann_file=self.ann_files[1], pipeline=list(unlabeled_pipeline)))
        if len(self.labeled) == 0 or (num_unlabeled and len(self.unlabeled) == 0):
            raise ValueError(f'SemiSupervisedDataset: the split of {ann_file!r} left an empty '
                             f'labeled or unlabeled set ({self.ann_files}).')
        self.num_unlabeled = num_unlabeled
        self.num_items = num_items
        self.seed = seed
        self.epoch = 0
        self._perms: tuple[int, np.ndarray, np.ndarray] | None = None

    @property
    def metainfo(self) -> dict:
        return self.labeled.metainfo

    def __len__(self) -> int:
        if self.num_items is not None:
            return self.num_items
        if self.num_unlabeled == 0:
            return len(self.labeled)
        return math.ceil(len(self.unlabeled) / self.num_unlabeled)

    def set_epoch(self, epoch: int) -> None:
        """The epoch that plain integer indices belong to."""
        self.epoch = epoch

    def _permutations(self, epoch: int) -> tuple[np.ndarray, np.ndarray]:
        if self._perms is None or self._perms[0] != epoch:
            rng = np.random.default_rng([self.seed, epoch])
            self._perms = (epoch, rng.permutation(len(self.labeled)),
                           rng.permutation(len(self.unlabeled)))
        return self._perms[1:]

    def indices(self, index: int, epoch: int) -> tuple[int, list[int]]:
        """The labeled index and the μ unlabeled indices of item ``index`` in ``epoch``."""
        labeled, unlabeled = self._permutations(epoch)
        start = index * self.num_unlabeled
        group = [int(unlabeled[(start + j) % len(unlabeled)])
                 for j in range(self.num_unlabeled)]
        return int(labeled[index % len(labeled)]), group

    def __getitem__(self, index: int | tuple[int, int]) -> dict:
        epoch, index = (index if isinstance(index, (tuple, list)) else (self.epoch, index))
        labeled_index, unlabeled_indices = self.indices(int(index), int(epoch))
        item = self.labeled[labeled_index]
        inputs, sample = dict(item['inputs']), item['data_samples']
        if unlabeled_indices:
            others = [self.unlabeled[i] for i in unlabeled_indices]
            for key in others[0]['inputs']:
                inputs[key] = torch.cat([u['inputs'][key] for u in others])
            sample.set_metainfo(dict(
                unlabeled_labels=[int(u['data_samples'].gt_label) for u in others],
                unlabeled_indices=unlabeled_indices))
        return dict(inputs=inputs, data_samples=sample)


@DATA_SAMPLERS.register_module()
class SemiSupervisedSampler(DefaultSampler):
    """mmengine's ``DefaultSampler`` (same shuffling and sharding over ranks) yielding
    ``(epoch, index)`` pairs, for :class:`SemiSupervisedDataset`: the epoch travels with the
    index into dataloader workers, which a dataset attribute set in the main process would
    not reach once persistent workers have started."""

    def __iter__(self) -> Iterator[tuple[int, int]]:
        epoch = self.epoch
        return ((epoch, index) for index in super().__iter__())
