"""Fixtures of the CMPL tests: small recognizers and the smallest rotating-digits data."""
from __future__ import annotations

import os.path as osp

import pytest
from mmengine.registry import init_default_scope

import projects.cmpl  # noqa: F401
from projects.cmpl.datasets.embedded_rotating_digits import RotatingDigitsBuilder

TINY = 'projects/cmpl/configs/cmpl_r3d18-w16_aux-w4_1xb4-mu2-8x2x1-6e_tiny-rotating-digits-2pct.py'
PRIMARY_ONLY = 'projects/cmpl/configs/primary-only_r3d18-w16_1xb4-8x2x1-6e_tiny-rotating-digits.py'


def recognizer(base_channels: int, num_classes: int = 10) -> dict:
    """A 3D ResNet-18 recognizer of ``base_channels`` (as in the tiny configs)."""
    return dict(
        type='Recognizer3D',
        backbone=dict(type='ResNet3d', depth=18, pretrained=None, pretrained2d=False,
                      base_channels=base_channels, conv1_stride_s=2, with_pool2=False,
                      norm_eval=False, zero_init_residual=False),
        cls_head=dict(type='I3DHead', in_channels=base_channels * 8, num_classes=num_classes,
                      dropout_ratio=0.0, init_std=0.5, average_clips='prob'))


@pytest.fixture(autouse=True)
def mmaction_scope():
    init_default_scope('mmaction')


@pytest.fixture(scope='session')
def digits_root(tmp_path_factory) -> str:
    """The smallest rotating-digits dataset (8 / 2 / 2 videos)."""
    root = osp.join(str(tmp_path_factory.mktemp('cmpl')), 'rotating_digits')
    return RotatingDigitsBuilder(root=root, **RotatingDigitsBuilder.smallest_args).build()
