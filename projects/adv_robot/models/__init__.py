"""Attacks, robust-training wrapper, interval bounds and the small policy networks."""
from .attacks import FGSM, PGD, project, random_start
from .ibp import interval_bounds, interval_layers
from .losses import mart_loss, output_distance, task_loss
from .networks import ConvNet, RegressionHead
from .robust_model import METHODS, RobustModel

__all__ = ['FGSM', 'METHODS', 'PGD', 'ConvNet', 'RegressionHead', 'RobustModel',
           'interval_bounds', 'interval_layers', 'mart_loss', 'output_distance', 'project',
           'random_start', 'task_loss']
