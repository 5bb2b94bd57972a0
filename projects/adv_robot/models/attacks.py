"""Norm-bounded input attacks: FGSM and projected gradient descent (PGD).

PGD (Madry et al., ICLR 2018, Sec. 2) maximises a loss over the ε ball around the input by
repeated signed (L∞) or normalised (L2) gradient steps, each followed by a projection onto the
ball and the valid input range; FGSM (Goodfellow et al., ICLR 2015) is its single full step.
The loss is passed in, so the same attack serves classification (cross-entropy), regression
(MSE / L1) and TRADES' output-distance objective (Zhang et al., ICML 2019, Alg. 1).

Both are registered in mmpretrain's ``MODELS`` registry and built from config dicts such as
``dict(type='PGD', eps=8 / 255, alpha=2 / 255, steps=10, norm='linf')``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from mmpretrain.registry import MODELS
from torch import Tensor

NORMS = ('linf', 'l2')
# Guards the L2 normalisation of an all-zero gradient or perturbation.
TINY = 1e-12


def _per_sample_norm(x: Tensor) -> Tensor:
    """L2 norm of every sample of ``x``, shaped to broadcast over it."""
    return x.flatten(1).norm(dim=1).clamp_min(TINY).view(-1, *([1] * (x.dim() - 1)))


def project(delta: Tensor, eps: float, norm: str) -> Tensor:
    """Projects perturbations ``delta`` (one per sample) onto the ε ball of ``norm``."""
    if norm == 'linf':
        return delta.clamp(-eps, eps)
    return delta * (eps / _per_sample_norm(delta)).clamp(max=1.0)


def random_start(x: Tensor, eps: float, norm: str) -> Tensor:
    """A random perturbation inside the ε ball: uniform per pixel (L∞), or a uniformly
    random direction at a uniformly random radius (L2)."""
    if norm == 'linf':
        return torch.empty_like(x).uniform_(-eps, eps)
    direction = torch.randn_like(x)
    direction = direction / _per_sample_norm(direction)
    radius = torch.rand(x.shape[0], *([1] * (x.dim() - 1)), device=x.device, dtype=x.dtype)
    return direction * radius * eps


@MODELS.register_module()
class PGD:
    """Projected gradient descent on the input (Madry et al., 2018, Eq. 2 and Sec. 2.1).

    Each step moves the perturbation by ``alpha`` along the sign of the loss gradient (L∞) or
    the gradient divided by its per-sample L2 norm (L2), clips the input to ``bounds`` and
    projects the perturbation back onto the ε ball.

    Args:
        eps (float): Radius of the ball, in the units of the model's inputs.
        alpha (float, optional): Step size. Defaults to ``2.5 * eps / steps`` (Madry et al.'s
            rule of thumb that lets a path reach the border from any start).
        steps (int): Gradient steps. Defaults to 10.
        norm (str): ``'linf'`` or ``'l2'``. Defaults to ``'linf'``.
        random_start (bool): Start from a random point of the ball rather than the input.
            Defaults to True.
        bounds (Sequence[float], optional): Valid input range ``(low, high)``; None leaves
            the input unclipped. Defaults to ``(0.0, 1.0)``.
    """

    def __init__(self,
                 eps: float,
                 alpha: float | None = None,
                 steps: int = 10,
                 norm: str = 'linf',
                 random_start: bool = True,
                 bounds: Sequence[float] | None = (0.0, 1.0)) -> None:
        if norm not in NORMS:
            raise ValueError(f'attack `norm` must be one of {NORMS}, got {norm!r}.')
        if eps < 0 or steps < 1:
            raise ValueError(f'attack needs eps >= 0 and steps >= 1, got eps={eps}, '
                             f'steps={steps}.')
        self.eps = float(eps)
        self.steps = int(steps)
        self.alpha = float(alpha) if alpha is not None else 2.5 * self.eps / self.steps
        self.norm = norm
        self.random_start = random_start
        self.bounds = None if bounds is None else (float(bounds[0]), float(bounds[1]))

    def _clip(self, x: Tensor) -> Tensor:
        return x if self.bounds is None else x.clamp(*self.bounds)

    def __call__(self,
                 forward: Callable[[Tensor], Tensor],
                 inputs: Tensor,
                 target: Tensor,
                 loss_fn: Callable[[Tensor, Tensor], Tensor],
                 eps: float | None = None) -> Tensor:
        """Returns adversarial inputs that (locally) maximise ``loss_fn(forward(x), target)``.

        Args:
            forward (Callable): Maps inputs to outputs (logits or regressed values).
            inputs (Tensor): Clean inputs (N, ...), inside ``bounds``.
            target (Tensor): What ``loss_fn`` compares the outputs with.
            loss_fn (Callable): Returns the loss summed over the batch, so that each
                sample's gradient does not depend on the batch size.
            eps (float, optional): Radius for this call (an ε ramp); the step size scales
                with it. Defaults to :attr:`eps`.

        Returns:
            Tensor: Detached adversarial inputs, within ``eps`` of ``inputs`` in the norm.
        """
        eps = self.eps if eps is None else float(eps)
        x0 = inputs.detach()
        if eps == 0:
            return x0.clone()
        alpha = self.alpha * eps / self.eps
        delta = random_start(x0, eps, self.norm) if self.random_start else torch.zeros_like(x0)
        delta = self._clip(x0 + delta) - x0
        target = target.detach()
        with torch.enable_grad():
            for _ in range(self.steps):
                x = (x0 + delta).requires_grad_(True)
                grad, = torch.autograd.grad(loss_fn(forward(x), target), x)
                if self.norm == 'linf':
                    step = grad.sign()
                else:
                    step = grad / _per_sample_norm(grad)
                # Clip, then project: a radial projection towards the clean input keeps it
                # in the (convex) input range, so both constraints hold (the order of ART).
                delta = self._clip(x0 + delta + alpha * step) - x0
                delta = project(delta, eps, self.norm)
        return (x0 + delta).detach()


@MODELS.register_module()
class FGSM(PGD):
    """Fast gradient sign method (Goodfellow et al., 2015): one step of size ε from the input
    (with ``norm='l2'`` the fast gradient method, the normalised gradient step).

    Args:
        eps (float): Radius of the ball.
        norm (str): ``'linf'`` or ``'l2'``. Defaults to ``'linf'``.
        bounds (Sequence[float], optional): Valid input range. Defaults to ``(0.0, 1.0)``.
    """

    def __init__(self,
                 eps: float,
                 norm: str = 'linf',
                 bounds: Sequence[float] | None = (0.0, 1.0)) -> None:
        super().__init__(eps=eps, alpha=eps, steps=1, norm=norm, random_start=False,
                         bounds=bounds)
