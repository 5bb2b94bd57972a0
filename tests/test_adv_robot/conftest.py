"""Every adv_robot test starts from a clean mmengine state, whatever earlier tests of the
process left behind: mmpretrain's default scope (as the runner of its configs sets) and a
current logger of its own (a Runner closes its log file but its logger stays the current
one, and ``init_weights`` writes to the current logger's file handlers)."""
from __future__ import annotations

import uuid

import pytest
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope


@pytest.fixture(autouse=True)
def clean_mmengine_state():
    init_default_scope('mmpretrain')
    MMLogger.get_instance(f'adv_robot_test_{uuid.uuid4().hex}', log_level='WARNING')
