"""SbF-Pruner models: the attention network, the pruning wrapper and the slim ResNet."""
from .attention import AttentionNetwork, LeakyExponential, leaky_exponential
from .pruner import SbFPruner, budget_masks, find_groups
from .slim_resnet import SlimBlock, SlimResNet

__all__ = ['AttentionNetwork', 'LeakyExponential', 'SbFPruner', 'SlimBlock', 'SlimResNet',
           'budget_masks', 'find_groups', 'leaky_exponential']
