"""SbF-Pruner training hooks."""
from .hooks import SbFBudgetHook

__all__ = ['SbFBudgetHook']
