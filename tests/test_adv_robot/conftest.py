"""Every adv_robot test builds in mmpretrain's scope, as the runner of its configs does
(other projects' tests leave other default scopes behind in the same process)."""
from __future__ import annotations

import pytest
from mmengine.registry import init_default_scope


@pytest.fixture(autouse=True)
def mmpretrain_scope():
    init_default_scope('mmpretrain')
