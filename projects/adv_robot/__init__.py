"""Adversarially robust training for robot learning (Lechner et al., RA-L 2023) as an
mmpretrain plugin.

Importing this package registers, in mmpretrain's registries, the attacks ``PGD`` and
``FGSM``, the robust-training wrapper ``RobustModel`` (standard, PGD-AT, TRADES, MART, IBP),
the ``ConvNet`` backbone and ``RegressionHead``, the ``RobustScheduleHook`` ramps, the
``PackRegressionInputs`` transform and the ``RegressionMetric``; configs load it with
``custom_imports = dict(imports=['projects.adv_robot'], allow_failed_imports=False)``.
"""
from . import datasets, engine, evaluation, models  # noqa: F401

__all__ = ['datasets', 'engine', 'evaluation', 'models']
