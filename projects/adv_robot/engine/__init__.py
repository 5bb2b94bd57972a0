"""Hooks of robust training."""
from .hooks import RobustScheduleHook

__all__ = ['RobustScheduleHook']
