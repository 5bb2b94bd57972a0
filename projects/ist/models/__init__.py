"""Models of the IST project."""
from .fc_net import ISTFCNet
from .wrappers import NoSyncWrapper

__all__ = ['ISTFCNet', 'NoSyncWrapper']
