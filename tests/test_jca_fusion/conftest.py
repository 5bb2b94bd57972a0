"""A small emotional talking-faces dataset shared by the JCA fusion tests."""
from __future__ import annotations

import pytest

import projects.jca_fusion  # noqa: F401  (registers the modules)
from projects.jca_fusion.datasets.embedded_emotion_av import EmotionAVBuilder

SMALL = dict(videos={'train': 4, 'val': 2, 'test': 2}, num_frames=(40, 60))


@pytest.fixture(scope='session')
def emotion_av_root(tmp_path_factory) -> str:
    """8 short videos (40-60 frames at 10 fps) in a session temporary folder."""
    root = str(tmp_path_factory.mktemp('embedded') / 'emotion_av')
    return EmotionAVBuilder(root=root, **SMALL).build()
