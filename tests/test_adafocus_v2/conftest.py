"""Fixtures of the AdaFocusV2 tests: a small cluttered-digits dataset, a CPU-size model."""
from __future__ import annotations

import pytest
import torch
from mmengine.registry import init_default_scope

import projects.adafocus_v2  # noqa: F401  (registers the AdaFocusV2 modules)
from projects.adafocus_v2.datasets.embedded_cluttered_digits import ClutteredDigitsBuilder

TINY_VIDEOS = {'train': 24, 'val': 8, 'test': 8}


@pytest.fixture(scope='session')
def cluttered_digits_root(tmp_path_factory) -> str:
    """A small cluttered-digits dataset (24/8/8 videos) in a session temporary folder."""
    root = str(tmp_path_factory.mktemp('embedded') / 'cluttered_digits')
    return ClutteredDigitsBuilder(root=root, videos=TINY_VIDEOS).build()


@pytest.fixture(autouse=True)
def mmaction_scope():
    """Builds configs in mmaction2's scope, as the runner does."""
    init_default_scope('mmaction')
    torch.manual_seed(0)


def tiny_model_cfg(**overrides) -> dict:
    """An AdaFocusV2 config small enough for unit tests: 4 frames of 32x32, 16x16 patches."""
    cfg = dict(
        type='AdaFocusV2',
        num_classes=5,
        num_frames=4,
        patch_size=16,
        global_size=16,
        global_encoder=dict(type='ResNet', depth=18, pretrained=None, num_stages=2,
                            out_indices=(1,), strides=(1, 1), dilations=(1, 1)),
        global_channels=128,
        local_encoder=dict(type='ResNet', depth=18, pretrained=None, num_stages=2,
                           out_indices=(1,), strides=(1, 2), dilations=(1, 1)),
        local_channels=128,
        policy=dict(type='PolicyNetwork', in_channels=128, spatial_size=4, num_frames=4,
                    reduced_channels=8, hidden_dims=(16,), recurrent=True),
        classifier=dict(type='PoolingClassifier', in_channels=256, num_classes=5, num_frames=4,
                        hidden_dim=32, dropout=0.0),
        aux_dropout=0.0,
        data_preprocessor=dict(type='ActionDataPreprocessor', format_shape='NCHW'))
    cfg.update(overrides)
    return cfg
