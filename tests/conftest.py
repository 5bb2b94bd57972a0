"""Shared fixtures: small embedded datasets, built once per test session."""
from __future__ import annotations

import os.path as osp
import sys

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)

import projects  # noqa: E402,F401  (compatibility fixes first, as tools/train.py does)
from projects.common.datasets import MovingDigitsBuilder  # noqa: E402

TINY_VIDEOS = {'train': 24, 'val': 8, 'test': 8}


@pytest.fixture(scope='session')
def moving_digits_root(tmp_path_factory) -> str:
    """A small moving-digits dataset (24/8/8 videos) in a session temporary folder."""
    root = str(tmp_path_factory.mktemp('embedded') / 'moving_digits')
    return MovingDigitsBuilder(root=root, videos=TINY_VIDEOS).build()
