"""The embedded-data framework: deterministic datasets written to disk from packaged content.

No dataset can be downloaded at run time, so each tiny config trains on an *embedded* dataset
that a seeded generator writes from real content shipped inside packages
(``sklearn.datasets.load_digits``, ``skimage.data``), in the same on-disk format as the real
dataset, so that the host toolbox's own loading pipeline runs unchanged.
"""
from __future__ import annotations

import json
import os
import os.path as osp
import shutil
import uuid
from typing import Any

import numpy as np
from mmengine.registry import DATASETS

from ..registry import EMBEDDED_DATA

MANIFEST = 'mmplug_manifest.json'


class EmbeddedDatasetBuilder:
    """Base class of the seeded generators behind the embedded datasets.

    A subclass sets :attr:`name` and :attr:`version` and implements :meth:`write`. Its
    constructor arguments (all JSON-serialisable) define the dataset: together with the class
    name and version they form the manifest stored beside the data.

    :meth:`build` writes into a temporary sibling folder and renames it into place, so an
    interrupted build never leaves a half-written dataset, and concurrent builds (one per
    distributed rank) are safe. A folder whose manifest matches is reused; a folder that holds
    something else is never overwritten: the builder raises and names it.

    Args:
        root (str): Folder the dataset is written to (and read from).
        seed (int): Seed of the generator. Defaults to 0.
    """

    name: str = 'embedded'
    version: int = 1
    # Arguments that make the smallest dataset the builder writes, merged over a config's
    # arguments by tests and smoke runs (every split non-empty, every pipeline still valid).
    smallest_args: dict[str, Any] = {}

    def __init__(self, root: str, seed: int = 0) -> None:
        self.root = root
        self.seed = seed

    @classmethod
    def smallest(cls, args: dict[str, Any]) -> dict[str, Any]:
        """The arguments of the smallest dataset like the one ``args`` describe.

        Used by tests and smoke runs: every split stays non-empty and every pipeline of the
        configs valid. By default ``args`` updated with :attr:`smallest_args`.
        """
        return {**args, **cls.smallest_args}

    def params(self) -> dict[str, Any]:
        """Returns the arguments that define the dataset (stored in the manifest)."""
        return {k: v for k, v in vars(self).items() if k != 'root'}

    def manifest(self) -> dict[str, Any]:
        """Returns the manifest that identifies this dataset on disk."""
        return dict(builder=type(self).__name__, version=self.version, params=self.params())

    def write(self, root: str, rng: np.random.Generator) -> None:
        """Writes the whole dataset under ``root`` (an empty folder)."""
        raise NotImplementedError

    def is_built(self) -> bool:
        """Whether ``root`` holds exactly this dataset.

        Raises:
            FileExistsError: If ``root`` exists but holds another dataset or foreign files.
        """
        if not osp.exists(self.root):
            return False
        path = osp.join(self.root, MANIFEST)
        if not osp.isfile(path):
            raise FileExistsError(
                f'{self.root!r} exists but was not written by {type(self).__name__} (no '
                f'{MANIFEST}). Move it away or set another `root` for the embedded dataset; '
                'MMPlug never overwrites a folder it did not write.')
        with open(path) as f:
            found = json.load(f)
        # JSON round trip so that tuples and lists compare equal.
        expected = json.loads(json.dumps(self.manifest()))
        if found != expected:
            raise FileExistsError(
                f'{self.root!r} holds an embedded dataset built with other arguments:\n'
                f'  on disk: {found}\n  wanted:  {expected}\n'
                'Delete that folder to rebuild it, or set another `root`.')
        return True

    def build(self) -> str:
        """Writes the dataset unless it is already there.

        Returns:
            str: The dataset root.
        """
        if self.is_built():
            return self.root
        parent = osp.dirname(osp.abspath(self.root))
        os.makedirs(parent, exist_ok=True)
        tmp = osp.join(parent, f'.{osp.basename(self.root)}.tmp-{uuid.uuid4().hex[:8]}')
        os.makedirs(tmp)
        try:
            self.write(tmp, np.random.default_rng(self.seed))
            with open(osp.join(tmp, MANIFEST), 'w') as f:
                json.dump(self.manifest(), f, indent=2)
            try:
                os.rename(tmp, self.root)
            except OSError:
                # Another process finished first; keep its copy if it is the same dataset.
                if not self.is_built():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return self.root


def build_embedded_data(cfg: dict) -> str:
    """Builds (or reuses) the embedded dataset described by ``cfg`` and returns its root."""
    args = dict(cfg)
    name = args.pop('type', None)
    # Looked up directly: EMBEDDED_DATA has no children, so scope switching has nothing to find.
    cls = EMBEDDED_DATA.get(name) if isinstance(name, str) else None
    if cls is None:
        raise KeyError(f'Unknown embedded dataset builder type={name!r}; registered: '
                       f'{sorted(EMBEDDED_DATA.module_dict)}.')
    return cls(**args).build()


@DATASETS.register_module()
def EmbeddedDataset(builder: dict, dataset: dict):  # noqa: N802 (a registry entry, built like a class)
    """Makes sure an embedded dataset is on disk, then builds the real dataset over it.

    Used in tiny configs in place of a plain dataset dict::

        dataset=dict(
            type='EmbeddedDataset',
            builder=dict(type='MovingDigitsBuilder', root='data/moving_digits'),
            dataset=dict(type='VideoDataset', ann_file='data/moving_digits/train_list.txt',
                         ...))

    Registered in mmengine's root registry, it is found from every scope (mmaction, mmagic,
    mmpretrain, mmplug); the inner dataset is built in the current scope, so what the runner
    receives is the host's own dataset class, unwrapped.

    Args:
        builder (dict): Config of an :class:`EmbeddedDatasetBuilder` (``EMBEDDED_DATA``).
        dataset (dict): Config of the dataset that reads the files.

    Returns:
        The dataset built from ``dataset``.
    """
    build_embedded_data(builder)
    return DATASETS.build(dataset)
