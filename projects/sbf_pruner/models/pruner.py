"""``SbFPruner``: wraps an existing CNN and trains its filter scores with it.

The method: SbF-Pruner / PAAM (paper, abstract and Sec. 2.2-2.3).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import torch
from mmengine.model import BaseModel
from mmpretrain.registry import MODELS
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm
from torch.nn.modules.conv import _ConvNd
from torch.nn.modules.instancenorm import _InstanceNorm

from .attention import AttentionNetwork
from .cost import BUDGET_METRICS, CostModel, budget_masks, trace_costs

NORM_TYPES = (_BatchNorm, _InstanceNorm, nn.GroupNorm)
REG_COSTS = ('params', 'filters')


@MODELS.register_module()
class SbFPruner(BaseModel):
    """SbF-Pruner / PAAM: end-to-end learned filter scores that gate an existing CNN.

    Every scored convolution (chosen by ``include``/``exclude`` patterns, the model's code
    untouched) gets an :class:`AttentionNetwork` that computes its filters' scores S_l from
    the filter weights W_l. The scores multiply the layer's output channels, A'_l = S_l ⊙ A_l
    (paper eq. 3), where A_l is taken after the convolution's normalisation layer (gating
    before a BatchNorm would be undone by it in training). Convolutions whose outputs are
    added by residual connections share output channels: a ``groups`` pattern puts them
    under one AN, fed the concatenation of their filters, so they are scored, gated and
    pruned together.

    All ANs are trained with the CNN from scratch in one stage (paper, abstract); the loss is
    the task loss plus a regulariser additive in the scores (paper, abstract),

        L = L_task + λ · Σ_l Σ_f c_{l,f} S_{l,f} / Σ_l Σ_f c_{l,f},

    with one global λ (``reg_weight``) and no per-layer hyper-parameters; c is each filter's
    parameter count (``reg_cost='params'``, so the term measures the parameters the scores
    keep) or 1 (``'filters'``). The normalisation and the weighting are UNCONFIRMED
    (see README, 'Choices for what the paper leaves open', row 3).

    **Global budget** (paper, Sec. 2.2-2.3; the rule is UNCONFIRMED, see README, 'Choices for
    what the paper leaves open', row 4). With ``param_budget=b``, filters are ranked by score
    across all layers and kept, best first, while the network that extraction would produce
    keeps at most the fraction ``b`` of the wrapped network's parameters (or of its FLOPs,
    ``budget_metric='flops'``), counting what each removal takes out downstream (the input
    channels of the layers that read it, its norm entries; :mod:`.cost`, traced on the first
    forward pass); the rest are hard-masked (gate 0).
    :class:`SbFBudgetHook` switches the mask on during training from a given epoch. Without
    a budget, filters scoring below ``prune_threshold`` are pruned. Every layer keeps at least
    its best filter. In eval mode the gates are always S ⊙ M with this keep mask M, which is
    exactly what :mod:`..extraction` removes, so the gated and the extracted networks compute
    the same function.

    Args:
        model (dict): Config of the CNN to prune: an mmpretrain classifier, or another
            toolbox's model with its scope, e.g. ``dict(type='Recognizer2D',
            _scope_='mmaction', ...)`` (so that its parts are built in that scope too).
        include (Sequence[str]): Regular expressions (full match) of the names of the
            convolutions in ``model`` to score. Defaults to ``('.*',)``: every convolution.
        exclude (Sequence[str]): Patterns of convolutions not to score. Defaults to ``()``.
        groups (Sequence[str]): One pattern per residual group: the scored convolutions it
            matches share output channels. Defaults to ``()``.
        attention (dict): Arguments of every :class:`AttentionNetwork` (``embed_dims``,
            ``attention``, ``leak``). Defaults to ``dict()``.
        detach_weights (bool): Feed the ANs detached filter weights, so that the filters learn
            from the task loss alone ("learning filter weights is left to CNN training", paper,
            Sec. 2.2-2.3; the detaching is UNCONFIRMED, see README, 'Choices for what the paper
            leaves open', row 5). Defaults to True.
        reg_weight (float): λ of the regulariser. Defaults to 0.05.
        reg_cost (str): ``'params'`` or ``'filters'``, the weight c of each score. Defaults to
            ``'params'``.
        param_budget (float, optional): Fraction of the wrapped network's parameters (or
            FLOPs) to keep; None prunes by ``prune_threshold`` instead. Defaults to None.
        budget_metric (str): What the budget counts: ``'params'`` or ``'flops'``
            (multiply-adds of convolutions and linear layers). Defaults to ``'params'``.
        prune_threshold (float): Score below which a filter is pruned when there is no budget.
            Defaults to 0.05.
        data_preprocessor (dict, optional): Data preprocessor of the wrapped model, used if
            ``model`` has none (the runner passes the config's top-level one here). Defaults
            to None.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 model: dict,
                 include: Sequence[str] = ('.*', ),
                 exclude: Sequence[str] = (),
                 groups: Sequence[str] = (),
                 attention: dict | None = None,
                 detach_weights: bool = True,
                 reg_weight: float = 0.05,
                 reg_cost: str = 'params',
                 param_budget: float | None = None,
                 budget_metric: str = 'params',
                 prune_threshold: float = 0.05,
                 data_preprocessor: dict | None = None,
                 init_cfg: dict | None = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if reg_cost not in REG_COSTS:
            raise ValueError(f'`reg_cost` must be one of {REG_COSTS}, got {reg_cost!r}.')
        if param_budget is not None and not 0 < param_budget <= 1:
            raise ValueError(f'`param_budget` must lie in (0, 1], got {param_budget}.')
        if budget_metric not in BUDGET_METRICS:
            raise ValueError(f'`budget_metric` must be one of {BUDGET_METRICS}, got '
                             f'{budget_metric!r}.')
        if data_preprocessor is not None:
            # The runner hands the config's top-level `data_preprocessor` to the outer model;
            # it belongs to the wrapped one (which extraction writes out on its own).
            model = dict(model)
            model.setdefault('data_preprocessor', data_preprocessor)
        self.model = MODELS.build(model)
        self.data_preprocessor = self.model.data_preprocessor
        self.detach_weights = detach_weights
        self.reg_weight = reg_weight
        self.reg_cost = reg_cost
        self.param_budget = param_budget
        self.budget_metric = budget_metric
        self.prune_threshold = prune_threshold
        self.budget_mask_enabled = False

        self.groups = find_groups(self.model, include, exclude, groups)
        self.attention_networks = nn.ModuleDict({
            key: AttentionNetwork(sum(self.conv(n).weight[0].numel() for n in convs),
                                  **(attention or {}))
            for key, convs in self.groups.items()
        })
        self._gates: dict[str, torch.Tensor] | None = None
        self._gated_modules: dict[str, list[str]] | None = None
        self._costs: CostModel | None = None

    def conv(self, name: str) -> _ConvNd:
        """Returns the wrapped model's convolution called ``name``."""
        return self.model.get_submodule(name)

    # Scores, masks and the regulariser.
    def scores(self) -> dict[str, torch.Tensor]:
        """Computes every group's filter scores S_l from the current filter weights.

        Returns:
            dict[str, torch.Tensor]: (F_l,) scores per group key.
        """
        scores = {}
        for key, convs in self.groups.items():
            filters = torch.cat([self.conv(n).weight.flatten(1) for n in convs], dim=1)
            if self.detach_weights:
                filters = filters.detach()
            scores[key] = self.attention_networks[key](filters)
        return scores

    def filter_costs(self) -> dict[str, int]:
        """Parameters of one filter of each group (weights of all member convolutions)."""
        return {
            key: sum(self.conv(n).weight[0].numel() for n in convs)
            for key, convs in self.groups.items()
        }

    def keep_masks(self, scores: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """The filters that survive pruning: the global budget, or the score threshold.

        Args:
            scores (dict[str, torch.Tensor]): Output of :meth:`scores`.

        Returns:
            dict[str, torch.Tensor]: Boolean (F_l,) masks per group key; each keeps at least
            the group's best filter.
        """
        if self.param_budget is None:
            masks = {k: s.detach() >= self.prune_threshold for k, s in scores.items()}
        else:
            if self._costs is None:
                raise RuntimeError(
                    'SbFPruner: the budget counts what each filter takes out of the layers '
                    'that read it, which is traced on one input: run a forward pass (or '
                    '`pruner.trace(inputs)`) before asking for the keep masks.')
            masks = budget_masks(scores, self._costs, self.param_budget)
        for key, s in scores.items():
            masks[key][s.detach().argmax()] = True
        return masks

    def regulariser(self, scores: dict[str, torch.Tensor]) -> torch.Tensor:
        """λ · Σ c·S / Σ c, the additive score regulariser (paper, abstract)."""
        costs = self.filter_costs() if self.reg_cost == 'params' else {k: 1 for k in scores}
        total = sum(costs[k] * s.numel() for k, s in scores.items())
        return self.reg_weight * sum(costs[k] * s.sum() for k, s in scores.items()) / total

    def kept_fraction(self, masks: dict[str, torch.Tensor]) -> torch.Tensor:
        """Fraction of the network's parameters (or FLOPs, ``budget_metric``) that ``masks``
        keep after extraction; without a traced budget, of the scored filters' own weights."""
        if self._costs is not None:
            return torch.tensor(self._costs.fraction(masks))
        costs = self.filter_costs()
        total = sum(costs[k] * m.numel() for k, m in masks.items())
        return sum(costs[k] * m.sum() for k, m in masks.items()).float() / total

    def gates(self, scores: dict[str, torch.Tensor],
              masks: dict[str, torch.Tensor] | None = None) -> dict[str, torch.Tensor]:
        """The channel gates: S_l, times the keep mask in eval mode and under the budget.

        Args:
            scores (dict[str, torch.Tensor]): Output of :meth:`scores`.
            masks (dict[str, torch.Tensor], optional): Output of :meth:`keep_masks` for
                ``scores``, if already computed. Defaults to None (computed when needed).
        """
        if self.training and not (self.budget_mask_enabled and self.param_budget is not None):
            return scores
        masks = self.keep_masks(scores) if masks is None else masks
        return {k: s * masks[k] for k, s in scores.items()}

    # Forward.
    def forward(self, inputs, data_samples=None, mode: str = 'tensor'):
        """Runs the wrapped model with every scored layer's output gated (paper eq. 3).

        In ``'loss'`` mode the regulariser is added as ``loss_sbf``; the fraction of scored
        parameters the current keep mask retains is logged as ``sbf_kept``, the lowest score as
        ``sbf_score``.
        """
        self._install_gates(inputs)
        scores = self.scores()
        # One budget selection per step serves both the gates and the logged kept share.
        masks = self.keep_masks(scores) if mode == 'loss' else None
        self._gates = self.gates(scores, masks)
        try:
            out = self.model(inputs, data_samples, mode)
        finally:
            self._gates = None
        if mode == 'loss':
            out['loss_sbf'] = self.regulariser(scores)
            out['sbf_kept'] = self.kept_fraction(masks)
            out['sbf_score'] = min(s.detach().min() for s in scores.values())
        return out

    def trace(self, inputs) -> None:
        """Finds, on one sample of ``inputs``, where to gate and what the budget counts.

        Runs on the first forward pass by itself; call it to get keep masks before any.
        """
        self._install_gates(inputs)

    def _install_gates(self, inputs) -> None:
        """On the first forward, finds where each scored layer's output A_l is and gates it.

        A_l is the output of the normalisation layer that directly consumes the convolution's
        output, found by tracing one sample (module code is not parsed, so any CNN works), or
        the convolution's own output when no normalisation follows it. With a budget, the cost
        model of :mod:`.cost` is traced on the same sample.
        """
        if self._gated_modules is not None:
            return
        norm_of = trace_norms(self.model, inputs, [n for c in self.groups.values() for n in c])
        self._gated_modules = {
            key: [norm_of.get(n, n) for n in convs] for key, convs in self.groups.items()
        }
        for key, names in self._gated_modules.items():
            for name in names:
                self.model.get_submodule(name).register_forward_hook(self._gate_hook(key))
        if self.param_budget is not None:
            sample = inputs[:1] if isinstance(inputs, torch.Tensor) else inputs
            was_training = self.model.training
            self.model.eval()
            try:
                self._costs = trace_costs(
                    self.model, lambda: self.model(sample, mode='tensor'), self.groups,
                    self._gated_modules, lambda gates: setattr(self, '_gates', gates),
                    self.budget_metric)
            finally:
                self.model.train(was_training)

    def _gate_hook(self, key: str):

        def hook(module: nn.Module, args: tuple, output: torch.Tensor) -> torch.Tensor | None:
            if self._gates is None:
                return None
            gate = self._gates[key]
            return output * gate.view(1, -1, *([1] * (output.dim() - 2)))

        return hook


def find_groups(model: nn.Module, include: Sequence[str], exclude: Sequence[str],
                groups: Sequence[str]) -> dict[str, list[str]]:
    """Chooses the convolutions to score and groups those that share output channels.

    Args:
        model (nn.Module): The CNN.
        include (Sequence[str]): Patterns (full match) of convolutions to score.
        exclude (Sequence[str]): Patterns of convolutions not to score.
        groups (Sequence[str]): One pattern per group of residual-coupled convolutions.

    Returns:
        dict[str, list[str]]: Group key (first member's name, dots as underscores) to member
        names, in model order; an ungrouped convolution is a group of one.

    Raises:
        ValueError: If a pattern matches no convolution, a convolution is grouped (depthwise)
            or in two groups, or a group's members differ in output channels.
    """
    convs = {n: m for n, m in model.named_modules() if isinstance(m, _ConvNd)}
    known = ', '.join(list(convs)[:8]) + (', ...' if len(convs) > 8 else '')

    def matching(pattern: str, names, what: str) -> list[str]:
        found = [n for n in names if re.fullmatch(pattern, n)]
        if not found:
            raise ValueError(f'{what} pattern {pattern!r} matches no convolution of the model '
                             f'(names look like: {known}).')
        return found

    chosen = {n for p in include for n in matching(p, convs, 'include')}
    for p in exclude:
        chosen -= set(matching(p, convs, 'exclude'))
    if not chosen:
        raise ValueError('`include`/`exclude` leave no convolution to score.')
    grouped = [n for n in convs if n in chosen and convs[n].groups != 1]
    if grouped:
        raise ValueError(f'Grouped/depthwise convolutions tie output to input channels and '
                         f'cannot be scored alone: {grouped}. Add them to `exclude`.')

    result, owner = {}, {}
    for p in groups:
        members = matching(p, [n for n in convs if n in chosen], 'group')
        for n in members:
            if n in owner:
                raise ValueError(f'Convolution {n!r} is in two groups: {owner[n]!r} and {p!r}.')
            owner[n] = p
        widths = {n: convs[n].out_channels for n in members}
        if len(set(widths.values())) > 1:
            raise ValueError(f'Group {p!r} mixes output widths {widths}; residual-coupled '
                             'convolutions have equal widths.')
        result[members[0].replace('.', '_')] = members
    for n in convs:
        if n in chosen and n not in owner:
            result[n.replace('.', '_')] = [n]
    order = list(convs)
    return dict(sorted(result.items(), key=lambda kv: order.index(kv[1][0])))


def trace_norms(model: nn.Module, inputs, conv_names: Sequence[str]) -> dict[str, str]:
    """Finds the normalisation layer that consumes each convolution's output.

    Runs the model once (eval mode, no gradient, first sample only) with hooks that record
    which tensor each convolution produced and which tensor each normalisation layer read.

    Args:
        model (nn.Module): The CNN; it must accept ``model(inputs, mode='tensor')``.
        inputs: A batch as the model takes it.
        conv_names (Sequence[str]): The convolutions to look up.

    Returns:
        dict[str, str]: Convolution name to normalisation-layer name, for those followed by one.

    Raises:
        RuntimeError: If a convolution does not run in the model's forward.
    """
    produced, alive, norm_of, ran = {}, [], {}, set()
    handles = []

    def on_conv(name):
        def hook(module, args, output):
            produced[id(output)] = name
            alive.append(output)  # keeps ids unique during the trace
            ran.add(name)
        return hook

    def on_norm(name):
        def hook(module, args, output):
            conv = produced.get(id(args[0]))
            if conv is not None:
                norm_of.setdefault(conv, name)
        return hook

    for name in conv_names:
        handles.append(model.get_submodule(name).register_forward_hook(on_conv(name)))
    for name, module in model.named_modules():
        if isinstance(module, NORM_TYPES):
            handles.append(module.register_forward_hook(on_norm(name)))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(inputs[:1] if isinstance(inputs, torch.Tensor) else inputs, mode='tensor')
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    missing = [n for n in conv_names if n not in ran]
    if missing:
        raise RuntimeError(f'Scored convolutions that the forward pass never runs: {missing}.')
    return norm_of
