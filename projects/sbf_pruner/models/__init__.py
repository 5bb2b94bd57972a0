"""SbF-Pruner models: the attention network, the pruning wrapper and the slim ResNet."""
from .attention import AttentionNetwork, LeakyExponential, leaky_exponential
from .cost import CostModel, budget_masks, trace_costs
from .pruner import SbFPruner, find_groups
from .slim_resnet import SlimBlock, SlimResNet

__all__ = ['AttentionNetwork', 'CostModel', 'LeakyExponential', 'SbFPruner', 'SlimBlock',
           'SlimResNet', 'budget_masks', 'find_groups', 'leaky_exponential', 'trace_costs']
