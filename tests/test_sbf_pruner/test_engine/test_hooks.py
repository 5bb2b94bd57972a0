"""SbFBudgetHook switches the global-budget mask on from its epoch."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from projects.sbf_pruner.engine import SbFBudgetHook
from tests.test_sbf_pruner.conftest import build_pruner


def test_mask_starts_at_begin_epoch():
    model = build_pruner(param_budget=0.5)
    hook = SbFBudgetHook(begin_epoch=2)
    for epoch, expected in ((0, False), (1, False), (2, True), (5, True)):
        hook.before_train_epoch(SimpleNamespace(model=model, epoch=epoch))
        assert model.budget_mask_enabled is expected


def test_needs_a_budget():
    with pytest.raises(ValueError, match='param_budget'):
        SbFBudgetHook().before_train_epoch(SimpleNamespace(model=build_pruner(), epoch=0))
