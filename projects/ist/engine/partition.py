"""Partitions of the hidden neurons, subnet slicing and write-back, and the analytic
communication counts (Yuan et al., PVLDB 2022; IST_Release ``ist_utilis.py``).

A *partition* holds, for each hidden layer, a LongTensor ``[n, H / n]`` whose row ``i`` lists
the neurons of subnet ``i``. A parameter's *axes* (``ISTFCNet.hidden_axes``) say which of its
dims are indexed by which layer's neurons; subnet ``i`` of a parameter is the parameter indexed
by row ``i`` along every such dim (rows and columns for hidden-to-hidden matrices, so the
off-diagonal blocks belong to no subnet). The last axis is the *owner axis*: with ``b`` owner
blocks, subnet ``i``'s indices along it are cut into ``b`` equal consecutive blocks, and block
``j`` is held (between rounds) by owner ``j``: one block and owner (rank 0) for the central
parameter server, one block per rank for the sharded one.
"""
from __future__ import annotations

import torch

Axes = list[tuple[int, int]]


def draw_partition(widths: list[int], num_subnets: int, generator: torch.Generator,
                   num_owners: int = 1) -> list[torch.Tensor]:
    """Draws the neuron groups of one round.

    With one owner (central server, IST_Release ``partition_to_list``) each layer's neurons
    are shuffled and cut into ``num_subnets`` equal groups. With ``num_owners`` shards (sharded
    server) owner ``j`` holds the consecutive neurons ``[j H / b, (j + 1) H / b)``; each shard
    is shuffled on its own and cut into ``num_subnets`` groups, and subnet ``i`` gets group
    ``i`` of every shard, so that every owner sends every worker a piece of the same size
    (the per-shard permutations of ``distributed_*_partitioned_ps_gloo.py``).

    Args:
        widths (list[int]): Width of each hidden layer.
        num_subnets (int): Number of subnets (workers).
        generator (torch.Generator): Seeded identically on all ranks.
        num_owners (int): Number of owner shards. Defaults to 1.

    Returns:
        list[torch.Tensor]: One ``[num_subnets, H / num_subnets]`` LongTensor per layer.
    """
    groups = []
    for layer, width in enumerate(widths):
        if width % (num_subnets * num_owners):
            raise ValueError(
                f'Hidden layer {layer} has {width} neurons, not divisible by '
                f'{num_subnets} subnets x {num_owners} owner shards: choose '
                'model.hidden_channels as multiples of that product.')
        shard = width // num_owners
        blocks = [(j * shard + torch.randperm(shard, generator=generator)).view(num_subnets, -1)
                  for j in range(num_owners)]
        groups.append(torch.cat(blocks, dim=1))
    return groups


def subnet_index(axes: Axes, groups: list[torch.Tensor], subnet: int, block: int = 0,
                 num_blocks: int = 1, ndim: int = 2) -> tuple:
    """The index that selects block ``block`` of subnet ``subnet`` from a parameter."""
    index: list = [slice(None)] * ndim
    for k, (dim, layer) in enumerate(axes):
        rows = groups[layer][subnet]
        if k == len(axes) - 1:
            rows = rows.view(num_blocks, -1)[block]
        index[dim] = rows
    tensors = [i for i in index if isinstance(i, torch.Tensor)]
    if len(tensors) == 2:  # rows x columns of a hidden-to-hidden matrix: an outer index
        index = [index[0].view(-1, 1), index[1].view(1, -1)]
    return tuple(index)


def take(param: torch.Tensor, axes: Axes, groups: list[torch.Tensor], subnet: int,
         block: int = 0, num_blocks: int = 1) -> torch.Tensor:
    """A contiguous copy of block ``block`` of subnet ``subnet`` of ``param``."""
    return param.detach()[subnet_index(axes, groups, subnet, block, num_blocks,
                                       param.dim())].contiguous()


def put(param: torch.Tensor, axes: Axes, groups: list[torch.Tensor], subnet: int,
        value: torch.Tensor, block: int = 0, num_blocks: int = 1) -> None:
    """Writes ``value`` back at the indices :func:`take` read (IST's write-back: a copy at
    the same indices, never an average; entries of no subnet keep their values)."""
    param.data[subnet_index(axes, groups, subnet, block, num_blocks, param.dim())] = value


def owner_dim(axes: Axes) -> int:
    """The dim along which a parameter's subnet slice is split into owner blocks."""
    return axes[-1][0]


def subnet_numel(in_channels: int, hidden: list[int], num_classes: int,
                 num_subnets: int) -> int:
    """Parameters of one IST subnet of :class:`~projects.ist.models.ISTFCNet`.

    ``S = D H_1 / n + sum_{l>=2} H_l H_{l-1} / n^2 + C H_L / n + 2 sum_l H_l / n``: the first
    and output layers keep their full input and output width, a hidden-to-hidden matrix keeps
    one of ``n^2`` blocks, and each BN keeps ``H_l / n`` weights and biases.
    """
    n = num_subnets
    total = in_channels * hidden[0] // n + num_classes * hidden[-1] // n
    total += sum(a * b // (n * n) for a, b in zip(hidden[1:], hidden[:-1], strict=False))
    return total + 2 * sum(h // n for h in hidden)


def model_numel(in_channels: int, hidden: list[int], num_classes: int) -> int:
    """Parameters of the full model (``subnet_numel`` with one subnet)."""
    return subnet_numel(in_channels, hidden, num_classes, 1)


def ist_round_bytes(in_channels: int, hidden: list[int], num_classes: int, num_subnets: int,
                    variant: str, rank: int, element_size: int = 4) -> dict[str, int]:
    """Bytes a rank sends and receives in one IST round (distribution + collection).

    * central server: rank 0 sends ``(n - 1) S`` (the other subnets) and receives them back;
      every other rank receives its subnet ``S`` and sends it back.
    * sharded server: every rank sends each of the ``n - 1`` others its owned block ``S / n``
      of their subnet and receives the blocks of its own subnet from them, then the reverse:
      ``2 (n - 1) S / n`` each way.

    Only bytes between different ranks count (a rank's own piece is a local copy).
    """
    n = num_subnets
    s = subnet_numel(in_channels, hidden, num_classes, n) * element_size
    if n == 1:
        return dict(sent=0, received=0)
    if variant == 'central':
        each = (n - 1) * s if rank == 0 else s
    elif variant == 'sharded':
        each = 2 * (n - 1) * s // n
    else:
        raise ValueError(f"IST variant must be 'central' or 'sharded', got {variant!r}.")
    return dict(sent=each, received=each)


def ring_allreduce_bytes(numel: int, world_size: int, element_size: int = 4) -> int:
    """Bytes each rank sends (and receives) in a bandwidth-optimal ring all-reduce of
    ``numel`` elements: ``2 (n - 1) / n`` of the tensor (reduce-scatter, then all-gather)."""
    return 2 * (world_size - 1) * numel * element_size // world_size
