"""Digit features: real 64-d feature vectors in the features-file format of the paper configs.

The samples are the 1797 handwritten digits that scikit-learn ships
(``sklearn.datasets.load_digits``: 8x8 images of 16 grey levels, 10 classes), flattened to 64
features and scaled to [0, 1]. They stand in for the paper's 4096-d log-mel vectors of spoken
commands: they are real content shipped in a package (no audio corpus is), small enough that a
multi-process run finishes in seconds on a CPU, and, like the speech task, a fixed-length
feature vector per sample that a fully connected network classifies. IST's mechanism (what it
partitions and communicates) does not depend on the input width.

On disk (:class:`~projects.ist.datasets.FeaturesDataset`)::

    ROOT/{train,val,test}.npz   features float32 [N, 64], labels int64 [N]
    ROOT/mmplug_manifest.json

The splits are disjoint, drawn by a seeded permutation.
"""
from __future__ import annotations

import os.path as osp

import numpy as np
from sklearn.datasets import load_digits

from projects.common.datasets import EMBEDDED_DATA, EmbeddedDatasetBuilder


@EMBEDDED_DATA.register_module()
class DigitFeaturesBuilder(EmbeddedDatasetBuilder):
    """Writes the digit features (see the module docstring).

    Args:
        root (str): Output folder.
        seed (int): Seed of the split. Defaults to 0.
        samples (dict[str, int] | None): Samples per split (at most 1797 in all).
            Defaults to ``{'train': 1200, 'val': 297, 'test': 300}``.
    """

    version = 1
    smallest_args = dict(samples={'train': 16, 'val': 8, 'test': 8})

    def __init__(self, root: str, seed: int = 0, samples: dict[str, int] | None = None) -> None:
        super().__init__(root, seed)
        self.samples = dict(samples or {'train': 1200, 'val': 297, 'test': 300})
        digits = load_digits()
        if sum(self.samples.values()) > len(digits.target):
            raise ValueError(f'DigitFeaturesBuilder: samples={self.samples} asks for more than '
                             f'the {len(digits.target)} digits scikit-learn ships.')

    def write(self, root: str, rng: np.random.Generator) -> None:
        digits = load_digits()
        order = rng.permutation(len(digits.target))
        start = 0
        for split, count in self.samples.items():
            index = order[start:start + count]
            start += count
            np.savez(osp.join(root, f'{split}.npz'),
                     features=(digits.data[index] / 16.0).astype(np.float32),
                     labels=digits.target[index].astype(np.int64))
