"""Shared fixtures: small embedded datasets, built once per test session."""
from __future__ import annotations

import importlib.util
import os.path as osp
import sys
from types import ModuleType

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)

import projects  # noqa: E402,F401  (compatibility fixes first, as tools/train.py does)
from projects.common.datasets import MovingDigitsBuilder  # noqa: E402

TINY_VIDEOS = {'train': 24, 'val': 8, 'test': 8}


def load_tool(relative_path: str) -> ModuleType:
    """A script under tools/ as a module of its own (so that tests can patch its globals)."""
    path = osp.join(REPO_ROOT, relative_path)
    name = osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='session')
def moving_digits_root(tmp_path_factory) -> str:
    """A small moving-digits dataset (24/8/8 videos) in a session temporary folder."""
    root = str(tmp_path_factory.mktemp('embedded') / 'moving_digits')
    return MovingDigitsBuilder(root=root, videos=TINY_VIDEOS).build()
