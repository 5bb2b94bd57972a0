"""Robust training as a config switch over any mmpretrain classifier or regressor.

:class:`RobustModel` wraps a model (e.g. mmpretrain's ``ImageClassifier`` with a
``LinearClsHead`` or a :class:`RegressionHead`) and replaces its training loss by one of the
objectives the study compares (Lechner et al., RA-L 2023, arXiv 2204.07373):

- ``standard``: empirical risk, L(f(x), y).
- ``pgd_at``: PGD adversarial training (Madry et al., 2018, Eq. 2.1), L(f(x'), y) with x'
  the attack's maximiser of L in the ε ball.
- ``trades``: L(f(x), y) + β D(f(x), f(x')) with x' maximising D (Zhang et al., 2019,
  Eq. 5); D is the KL divergence for classifiers, the squared output distance for regressors.
- ``mart``: boosted cross-entropy on x' plus λ KL(p(x) || p(x')) (1 − p_y(x))
  (Wang et al., 2020, Eq. 9); classification only.
- ``ibp``: certified training with interval bounds (Gowal et al., 2018, Eq. 7),
  κ L(f(x), y) + (1 − κ) L(ẑ(ε), y), ẑ the worst-case outputs over the ε box.

The ε (and IBP's κ) ramps of :class:`~..engine.RobustScheduleHook` set :attr:`eps_scale` and
:attr:`kappa`. Prediction runs the wrapped model, on attacked inputs when ``test_attack`` is
set (adversarial evaluation with the ordinary test loop and metrics).
"""
from __future__ import annotations

import torch
from mmengine.model import BaseModel
from mmpretrain.registry import MODELS
from torch import Tensor

from .ibp import interval_bounds, interval_layers
from .losses import REGRESSION_LOSSES, TASKS, mart_loss, output_distance, task_loss

METHODS = ('standard', 'pgd_at', 'trades', 'mart', 'ibp')


@MODELS.register_module()
class RobustModel(BaseModel):
    """Trains the wrapped ``model`` with a robust objective (see the module docstring).

    Inputs are perturbed after the data preprocessor, so ε is in the units of the
    preprocessed inputs: with ``mean=0, std=255`` (our configs) that is the [0, 1] pixel
    scale, and the attacks clip to [0, 1].

    Args:
        model (dict): Config of the wrapped model, whose ``mode='tensor'`` forward returns
            logits (classification) or values (regression).
        method (str): One of ``standard``, ``pgd_at``, ``trades``, ``mart``, ``ibp``.
            Defaults to ``'standard'``.
        task (str): ``'classification'`` (targets ``gt_label``) or ``'regression'``
            (targets ``gt_value``). Defaults to ``'classification'``.
        attack (dict, optional): Training attack (``PGD`` / ``FGSM`` config); its ``eps`` is
            also IBP's ε. Required by every method but ``standard``.
        test_attack (dict, optional): Attack applied to the inputs before prediction.
            Defaults to None (nominal prediction).
        regression_loss (str): ``'mse'`` or ``'l1'``. Defaults to ``'mse'``.
        beta (float): TRADES' β. Defaults to 6.0 (Zhang et al., 2019, Sec. 5).
        mart_lambda (float): MART's λ. Defaults to 5.0 (Wang et al., 2020, Sec. 5).
        kappa (float): IBP's final weight of the nominal loss. Defaults to 0.5 (Gowal et al.,
            2018, Sec. 4).
        data_preprocessor (dict, optional): Given to the wrapped model when it has none.
        init_cfg (dict, optional): Initialisation of the wrapper (the wrapped model has its own).
    """

    def __init__(self,
                 model: dict,
                 method: str = 'standard',
                 task: str = 'classification',
                 attack: dict | None = None,
                 test_attack: dict | None = None,
                 regression_loss: str = 'mse',
                 beta: float = 6.0,
                 mart_lambda: float = 5.0,
                 kappa: float = 0.5,
                 data_preprocessor: dict | None = None,
                 init_cfg: dict | None = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if method not in METHODS:
            raise ValueError(f'RobustModel `method` must be one of {METHODS}, got {method!r}.')
        if task not in TASKS:
            raise ValueError(f'RobustModel `task` must be one of {TASKS}, got {task!r}.')
        if regression_loss not in REGRESSION_LOSSES:
            raise ValueError(f'RobustModel `regression_loss` must be one of '
                             f'{REGRESSION_LOSSES}, got {regression_loss!r}.')
        if method != 'standard' and attack is None:
            raise ValueError(f"RobustModel method={method!r} needs an `attack` config "
                             "(e.g. dict(type='PGD', eps=0.03)).")
        if method == 'mart' and task != 'classification':
            raise ValueError("RobustModel method='mart' is defined for classification only.")
        if data_preprocessor is not None:
            # The runner hands the config's top-level `data_preprocessor` to the outer model;
            # it belongs to the wrapped one, which then works on its own.
            model = dict(model)
            model.setdefault('data_preprocessor', data_preprocessor)
        self.model = MODELS.build(model)
        self.data_preprocessor = self.model.data_preprocessor
        if method == 'ibp':
            interval_layers(self.model)  # fails early on an unsupported architecture
        self.method = method
        self.task = task
        self.attack = MODELS.build(attack) if attack is not None else None
        self.test_attack = MODELS.build(test_attack) if test_attack is not None else None
        self.regression_loss = regression_loss
        self.beta = beta
        self.mart_lambda = mart_lambda
        self.final_kappa = kappa
        # Set by RobustScheduleHook; without it the full ε (and final κ) from the start.
        self.eps_scale = 1.0
        self.kappa = kappa

    def forward(self, inputs: Tensor, data_samples: list | None = None, mode: str = 'tensor'):
        """``tensor``: outputs of the wrapped model; ``loss``: the robust objective;
        ``predict``: the wrapped model's predictions (on attacked inputs with
        ``test_attack``)."""
        if mode == 'tensor':
            return self.model(inputs, mode='tensor')
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            if self.test_attack is not None:
                inputs = self.perturb(self.test_attack, inputs, self.targets(data_samples))
            return self.model(inputs, data_samples, mode='predict')
        raise RuntimeError(f'Invalid mode "{mode}".')

    def outputs(self, inputs: Tensor) -> Tensor:
        """Logits or regressed values of the wrapped model."""
        return self.model(inputs, mode='tensor')

    def targets(self, data_samples: list) -> Tensor:
        """Class indices (N,) or target values (N, D) from the data samples."""
        if self.task == 'classification':
            return torch.cat([s.gt_label for s in data_samples])
        return torch.stack([torch.as_tensor(s.gt_value, dtype=torch.float32)
                            for s in data_samples])

    def task_loss(self, outputs: Tensor, target: Tensor, reduction: str = 'mean') -> Tensor:
        """The nominal loss L: cross-entropy, or the configured regression loss."""
        return task_loss(outputs, target, self.task, self.regression_loss, reduction)

    def perturb(self, attack, inputs: Tensor, target: Tensor, loss_fn=None,
                eps: float | None = None) -> Tensor:
        """Runs ``attack`` on the wrapped model in eval mode (as Madry et al.'s and the
        TRADES code do: batch statistics stay those of clean data), restoring the mode."""
        loss_fn = loss_fn or (lambda out, y: self.task_loss(out, y, 'sum'))
        training = self.model.training
        self.model.eval()
        try:
            return attack(self.outputs, inputs, target.to(inputs.device), loss_fn, eps=eps)
        finally:
            self.model.train(training)

    def loss(self, inputs: Tensor, data_samples: list) -> dict[str, Tensor]:
        """The configured objective; every term's key contains ``loss``."""
        target = self.targets(data_samples).to(inputs.device)
        eps = None if self.attack is None else self.attack.eps * self.eps_scale
        if self.method == 'standard':
            return dict(loss=self.task_loss(self.outputs(inputs), target))
        if self.method == 'pgd_at':
            adv = self.perturb(self.attack, inputs, target, eps=eps)
            return dict(loss_adv=self.task_loss(self.outputs(adv), target))
        if self.method == 'trades':
            clean = self.outputs(inputs)
            adv = self.perturb(self.attack, inputs, clean.detach(),
                               lambda out, ref: output_distance(ref, out, self.task, 'sum'),
                               eps=eps)
            return dict(loss_natural=self.task_loss(clean, target),
                        loss_robust=self.beta * output_distance(clean, self.outputs(adv),
                                                                self.task))
        if self.method == 'mart':
            adv = self.perturb(self.attack, inputs, target, eps=eps)
            bce, kl = mart_loss(self.outputs(inputs), self.outputs(adv), target,
                                self.mart_lambda)
            return dict(loss_bce=bce, loss_kl=kl)
        return self.ibp_loss(inputs, target, eps)

    def ibp_loss(self, inputs: Tensor, target: Tensor, eps: float) -> dict[str, Tensor]:
        """κ L(f(x), y) + (1 − κ) L(ẑ, y) with ẑ the worst case over the L∞ box of
        radius ``eps`` (clipped to the attack's input bounds)."""
        lower, upper = inputs - eps, inputs + eps
        if self.attack.bounds is not None:
            lower, upper = lower.clamp(*self.attack.bounds), upper.clamp(*self.attack.bounds)
        low, high = interval_bounds(self.model, lower, upper)
        if self.task == 'classification':
            # Worst-case logits: the true class at its lower bound, every other at its upper.
            true = torch.nn.functional.one_hot(target, low.shape[1]).bool()
            worst = self.task_loss(torch.where(true, low, high), target)
        else:
            # The worst value of a convex loss over an interval lies at an end.
            target = target.to(low)
            far = torch.where((high - target).abs() > (target - low).abs(), high, low)
            worst = self.task_loss(far, target)
        nominal = self.task_loss(self.outputs(inputs), target)
        return dict(loss_nominal=self.kappa * nominal, loss_verified=(1 - self.kappa) * worst)
