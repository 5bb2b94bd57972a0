"""The communication of one IST round: subnets out of the owners and back (Yuan et al.,
PVLDB 2022; IST_Release ``dispatch_model_to_workers`` / ``push_model_to_parameter_server``
of the central server, the per-owner scatters and gathers of the sharded one).

Only ``torch.distributed`` scatter, gather and broadcast are used: they exist in gloo (CPU)
and NCCL (GPU). Bytes are counted from the tensors that cross between two different ranks.
"""
from __future__ import annotations

import torch
import torch.distributed as dist
from torch import nn

from .partition import owner_dim, put, take


class SubnetExchange:
    """Distributes subnets of ``model`` and writes them back, for one rank.

    Args:
        model (nn.Module): The full model; it must have ``hidden_axes()``
            (:class:`~projects.ist.models.ISTFCNet`). Between rounds only the entries this
            rank owns are meaningful: all of them on rank 0 (``'central'``), shard ``rank``
            of every parameter's owner axis (``'sharded'``), none otherwise.
        variant (str): ``'central'`` or ``'sharded'``.
        rank (int): This process's rank.
        world_size (int): Number of ranks (= subnets).
    """

    def __init__(self, model: nn.Module, variant: str, rank: int, world_size: int) -> None:
        self.model = model
        self.axes = model.hidden_axes()
        self.rank = rank
        self.world_size = world_size
        self.num_owners = world_size if variant == 'sharded' else 1
        self.groups: list[torch.Tensor] | None = None

    def _full(self) -> dict[str, torch.Tensor]:
        return dict(self.model.named_parameters())

    def distribute(self, subnet: nn.Module) -> tuple[int, int]:
        """Fills ``subnet`` with subnet ``rank`` of the current :attr:`groups`.

        Returns:
            tuple[int, int]: Bytes sent and received by this rank.
        """
        full = self._full()
        sent = received = 0
        for name, param in subnet.named_parameters():
            axes, source = self.axes[name], full[name]
            pieces = []
            for owner in range(self.num_owners):
                piece = take(source, axes, self.groups, self.rank, owner, self.num_owners)
                if self.world_size > 1:
                    outgoing = None
                    if self.rank == owner:
                        outgoing = [take(source, axes, self.groups, i, owner, self.num_owners)
                                    for i in range(self.world_size)]
                        sent += sum(t.numel() * t.element_size()
                                    for i, t in enumerate(outgoing) if i != owner)
                    else:
                        received += piece.numel() * piece.element_size()
                    dist.scatter(piece, outgoing, src=owner)
                pieces.append(piece)
            param.data.copy_(torch.cat(pieces, dim=owner_dim(axes)))
        return sent, received

    def collect(self, subnet: nn.Module) -> tuple[int, int]:
        """Sends ``subnet`` back to its owners, which write every subnet back at the indices
        it came from (a copy, never an average).

        Returns:
            tuple[int, int]: Bytes sent and received by this rank.
        """
        full = self._full()
        sent = received = 0
        for name, param in subnet.named_parameters():
            axes, target = self.axes[name], full[name]
            blocks = param.detach().chunk(self.num_owners, dim=owner_dim(axes))
            for owner in range(self.num_owners):
                mine = blocks[owner].contiguous()
                if self.world_size == 1:
                    put(target, axes, self.groups, 0, mine)
                    continue
                incoming = None
                if self.rank == owner:
                    incoming = [torch.empty_like(mine) for _ in range(self.world_size)]
                    received += sum(t.numel() * t.element_size()
                                    for i, t in enumerate(incoming) if i != owner)
                else:
                    sent += mine.numel() * mine.element_size()
                dist.gather(mine, incoming, dst=owner)
                if self.rank == owner:
                    for i, value in enumerate(incoming):
                        put(target, axes, self.groups, i, value, owner, self.num_owners)
        return sent, received

    def sync_full_model(self) -> int:
        """Broadcasts each owner's shard so that every rank holds the full model.

        Returns:
            int: Bytes this rank received.
        """
        if self.world_size == 1:
            return 0
        received = 0
        for name, param in self.model.named_parameters():
            shards = param.data.chunk(self.num_owners, dim=owner_dim(self.axes[name]))
            for owner, shard in enumerate(shards):
                buffer = shard.contiguous()
                dist.broadcast(buffer, src=owner)
                shard.copy_(buffer)
                if self.rank != owner:
                    received += buffer.numel() * buffer.element_size()
        return received
