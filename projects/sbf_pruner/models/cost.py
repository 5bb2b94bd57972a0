"""What a set of kept filters costs: the parameters (or FLOPs) of the network after extraction.

Removing filter f of a scored layer removes more than the filter's own weights: its bias and
norm entries, and the input channel f of every layer that reads that output (the next block's
convolutions, the classifier after global pooling). :func:`trace_costs` finds, on one sample,
which layer reads which group's channels, so that :class:`CostModel` gives the exact size of
the extracted network for any number of kept filters per group; the global budget of
:class:`~.pruner.SbFPruner` is then a fraction of the whole network.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm
from torch.nn.modules.conv import _ConvNd
from torch.nn.modules.instancenorm import _InstanceNorm

NORM_TYPES = (_BatchNorm, _InstanceNorm, nn.GroupNorm)
BUDGET_METRICS = ('params', 'flops')


@dataclass
class CostModel:
    """Cost = ``fixed`` + Σ coef · n[out] · n[in] over ``terms``.

    n[g] is the number of kept filters of group g; the index ``len(groups)`` stands for a
    constant 1 (a side that no group prunes, its width folded into ``coef``).

    Attributes:
        groups (list[str]): Group keys, in the column order of ``counts``.
        widths (list[int]): Filters per group.
        fixed (float): Cost that no pruning changes.
        terms (list[tuple[float, int, int]]): (coef, out index, in index).
        total (float): Cost of the unpruned network.
        metric (str): ``'params'`` or ``'flops'`` (multiply-adds of convolutions and linear
            layers).
    """

    groups: list[str]
    widths: list[int]
    fixed: float = 0.0
    terms: list[tuple[float, int, int]] = field(default_factory=list)
    total: float = 0.0
    metric: str = 'params'

    def cost(self, counts: torch.Tensor) -> torch.Tensor:
        """Cost for kept-filter counts (..., G), as a float64 tensor (...)."""
        ones = torch.ones(*counts.shape[:-1], 1, dtype=torch.float64)
        n = torch.cat([counts.double(), ones], dim=-1)
        coef = torch.tensor([t[0] for t in self.terms], dtype=torch.float64)
        out = n[..., [t[1] for t in self.terms]]
        inp = n[..., [t[2] for t in self.terms]]
        return self.fixed + (coef * out * inp).sum(-1)

    def fraction(self, masks: dict[str, torch.Tensor]) -> float:
        """Fraction of the unpruned cost that keep ``masks`` retain."""
        counts = torch.tensor([int(masks[g].sum()) for g in self.groups])
        return float(self.cost(counts) / self.total)


def trace_costs(model: nn.Module, run: Callable[[], object], groups: dict[str, list[str]],
                gated: dict[str, list[str]], set_gates: Callable[[dict | None], None],
                metric: str = 'params') -> CostModel:
    """Builds the :class:`CostModel` of ``model`` by probing which layer reads which group.

    Runs the model once as it is, then once per group with that group's gates at zero: a
    layer whose every live input channel goes dead reads that group's channels. Run in eval
    mode without gradients.

    Args:
        model (nn.Module): The wrapped CNN.
        run (Callable): Runs ``model`` on one sample.
        groups (dict[str, list[str]]): Scored convolutions per group.
        gated (dict[str, list[str]]): The modules whose outputs each group's gates scale.
        set_gates (Callable): Sets the gates (``{group: (F,) tensor}``; None = no gating).
        metric (str): ``'params'`` or ``'flops'``.

    Returns:
        CostModel: The cost of the extracted network as a function of the kept counts.
    """
    if metric not in BUDGET_METRICS:
        raise ValueError(f'budget metric must be one of {BUDGET_METRICS}, got {metric!r}.')
    keys = list(groups)
    widths = {k: model.get_submodule(groups[k][0]).out_channels for k in keys}
    leaves = {n: m for n, m in model.named_modules()
              if isinstance(m, (_ConvNd, nn.Linear) + NORM_TYPES)}

    def probe(zero: str | None) -> dict[str, tuple[torch.Tensor, float]]:
        seen, handles = {}, []

        def hook(name):
            def record(module, args, output):
                x = args[0]
                axis = -1 if isinstance(module, nn.Linear) else 1
                live = x.detach().movedim(axis, 0).flatten(1).abs().amax(1) > 0
                positions = output[0, 0].numel() if isinstance(module, _ConvNd) else 1
                seen[name] = (live, positions)
            return record

        for name, module in leaves.items():
            handles.append(module.register_forward_hook(hook(name)))
        gates = {k: torch.ones(widths[k]) for k in keys}
        if zero is not None:
            gates[zero] = torch.zeros(widths[zero])
        set_gates(gates)
        try:
            with torch.no_grad():
                run()
        finally:
            set_gates(None)
            for h in handles:
                h.remove()
        return seen

    base = probe(None)
    reads = {}
    for key in keys:
        dead = probe(key)
        for name, (live, _) in base.items():
            now = dead[name][0]
            if len(live) == widths[key] and (live & ~now).any() and not (live & now).any():
                reads[name] = key
    index = {k: i for i, k in enumerate(keys)}
    const = len(keys)
    owner = {n: k for k, convs in groups.items() for n in convs}
    norm_owner = {n: k for k, names in gated.items() for n in names if n not in owner}

    model_cost = CostModel(keys, [widths[k] for k in keys], metric=metric)
    accounted = 0
    for name, module in leaves.items():
        weight = getattr(module, 'weight', None)
        bias = getattr(module, 'bias', None)
        positions = base[name][1] if name in base else 0
        if isinstance(module, (_ConvNd, nn.Linear)):
            if isinstance(module, _ConvNd):
                cout, cin = module.out_channels, module.in_channels
                prunable_in = module.groups == 1
            else:
                cout, cin = module.out_features, module.in_features
                prunable_in = True
            out_g = owner.get(name)
            in_g = reads.get(name) if prunable_in else None
            per = weight.numel() / (cout * cin)
            coef = per * (1 if out_g else cout) * (1 if in_g else cin)
            if metric == 'flops':
                coef *= positions
            model_cost.terms.append((coef, index[out_g] if out_g else const,
                                     index[in_g] if in_g else const))
            if bias is not None and metric == 'params':
                model_cost.terms.append((1.0 if out_g else float(cout),
                                         index[out_g] if out_g else const, const))
        elif metric == 'params' and weight is not None:
            per_channel = (weight.numel() + (bias.numel() if bias is not None else 0))
            g = norm_owner.get(name) or owner.get(name)
            channels = weight.numel()
            model_cost.terms.append((per_channel / channels if g else float(per_channel),
                                     index[g] if g else const, const))
        accounted += sum(p.numel() for p in (weight, bias) if p is not None)
    if metric == 'params':
        model_cost.total = float(sum(p.numel() for p in model.parameters()))
        model_cost.fixed = model_cost.total - accounted
    else:
        full = torch.tensor(model_cost.widths, dtype=torch.float64)
        model_cost.total = float(model_cost.cost(full))
    return model_cost


def budget_masks(scores: dict[str, torch.Tensor], costs: CostModel,
                 budget: float) -> dict[str, torch.Tensor]:
    """The global budget rule: keep the best-scored filters while the network fits the budget.

    Every group's best filter is kept (no layer dies); then all other filters of all groups
    are taken best score first, as long as the extracted network's cost (``costs``: its
    parameters or FLOPs, with the input channels each removal takes out of the next layers)
    stays within ``budget`` times the unpruned network's ("globally allocated budget and
    cumulative score distribution", paper, Sec. 2.2-2.3; the rule itself is UNCONFIRMED, see
    README, 'Choices for what the paper leaves open', row 4).

    Args:
        scores (dict[str, torch.Tensor]): (F_g,) scores per group.
        costs (CostModel): The network's cost as a function of the kept counts.
        budget (float): Fraction of the cost to keep.

    Returns:
        dict[str, torch.Tensor]: Boolean (F_g,) keep masks.
    """
    keys = costs.groups
    flat = torch.cat([scores[k].detach().double() for k in keys])
    group = torch.cat([torch.full((scores[k].numel(), ), i) for i, k in enumerate(keys)])
    starts = torch.tensor([0] + [scores[k].numel() for k in keys]).cumsum(0)[:-1]
    best = torch.stack([scores[k].detach().argmax() for k in keys]) + starts
    flat[best] = float('inf')  # every group keeps its best filter, whatever the budget
    order = flat.argsort(descending=True, stable=True)
    counts = torch.nn.functional.one_hot(group[order], len(keys)).cumsum(0)
    fits = costs.cost(counts) <= budget * costs.total
    fits[:len(keys)] = True
    # Costs grow with every filter added, so the prefixes that fit are the first ones.
    num = int(fits.long().cumprod(0).sum())
    keep = torch.zeros(flat.numel(), dtype=torch.bool)
    keep[order[:num]] = True
    return dict(zip(keys, keep.split([scores[k].numel() for k in keys]), strict=True))
