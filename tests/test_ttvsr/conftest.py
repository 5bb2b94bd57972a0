"""Shared fixtures of the TTVSR tests: a small embedded VSR dataset and configs pointed at it."""
from __future__ import annotations

import os.path as osp

import pytest

import projects.ttvsr  # noqa: F401  (registers the TTVSR models, datasets and transforms)
from projects.ttvsr.datasets.embedded_vsr import EmbeddedVSRBuilder
from tests.conftest import REPO_ROOT

CONFIGS = osp.join(REPO_ROOT, 'projects/ttvsr/configs')
TINY_TTVSR = osp.join(CONFIGS, 'ttvsr_c32n4_1xb4-1800iter_tiny-embedded-vsr-bi.py')
TINY_SPYNET = osp.join(CONFIGS, 'spynet_1xb8-2k_tiny-embedded-vsr-flow.py')
# 3 training clips and 2 held-out clips of 6 frames, GT 64x64 (LR 16x16).
SMALL_VSR = dict(clips=dict(train=3, test=2), num_frames=dict(train=6, test=6), gt_size=64)


@pytest.fixture(scope='session')
def embedded_vsr_root(tmp_path_factory) -> str:
    """A small embedded VSR dataset in a session temporary folder."""
    root = str(tmp_path_factory.mktemp('embedded') / 'embedded_vsr')
    return EmbeddedVSRBuilder(root=root, **SMALL_VSR).build()
