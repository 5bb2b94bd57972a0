"""The IST round on real gloo process groups (forked, 2 and 4 ranks): the subnets that arrive,
the write-back, the full-model sync and the byte counts against the analytic formula."""
from __future__ import annotations

import os.path as osp
import socket

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from projects.ist.engine import SubnetExchange, draw_partition, ist_round_bytes, put, take
from projects.ist.engine.partition import owner_dim
from projects.ist.models import ISTFCNet

IN, WIDTHS, CLASSES = 12, [32, 16], 5


def reference(world_size: int, variant: str):
    """The model, the groups, and the model after a serial round whose subnet i is mapped to
    ``2 * subnet + i``."""
    torch.manual_seed(0)
    model = ISTFCNet(IN, WIDTHS, CLASSES)
    owners = world_size if variant == 'sharded' else 1
    groups = draw_partition(WIDTHS, world_size, torch.Generator().manual_seed(7), owners)
    after = {k: v.detach().clone() for k, v in model.named_parameters()}
    axes = model.hidden_axes()
    for name, param in model.named_parameters():
        for i in range(world_size):
            put(after[name], axes[name], groups, i, 2 * take(param, axes[name], groups, i) + i)
    return model, groups, after


def run_rank(rank: int, world_size: int, variant: str, port: int, out: str) -> None:
    torch.set_num_threads(1)
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
                            world_size=world_size)
    model, groups, _ = reference(world_size, variant)
    exchange = SubnetExchange(model, variant, rank, world_size)
    expected = {name: take(p, exchange.axes[name], groups, rank)
                for name, p in model.named_parameters()}
    # Entries this rank does not own are garbage: the exchange must not read them.
    for name, param in model.named_parameters():
        shards = param.data.chunk(exchange.num_owners, dim=owner_dim(exchange.axes[name]))
        for owner, shard in enumerate(shards):
            if owner != rank:
                shard.fill_(float('nan'))
    exchange.groups = groups
    subnet = model.narrow(world_size)
    first = exchange.distribute(subnet)
    arrived = {name: p.detach().clone() for name, p in subnet.named_parameters()}
    for param in subnet.parameters():
        param.data.mul_(2).add_(rank)
    second = exchange.collect(subnet)
    synced = exchange.sync_full_model()
    torch.save(dict(arrived=arrived, expected=expected, bytes=(first, second), synced=synced,
                    final={k: v.detach() for k, v in model.named_parameters()}),
               osp.join(out, f'rank{rank}.pth'))
    dist.destroy_process_group()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.parametrize('variant', ['central', 'sharded'])
@pytest.mark.parametrize('world_size', [2, 4])
def test_round_on_gloo_matches_the_serial_reference(variant, world_size, tmp_path):
    mp.start_processes(run_rank, args=(world_size, variant, free_port(), str(tmp_path)),
                       nprocs=world_size, join=True, start_method='fork')
    _, _, after = reference(world_size, variant)
    for rank in range(world_size):
        got = torch.load(tmp_path / f'rank{rank}.pth', weights_only=True)
        for name, value in got['expected'].items():
            assert torch.equal(got['arrived'][name], value), (rank, name)
        for name, value in after.items():
            assert torch.equal(got['final'][name], value), (rank, name)
        (sent_out, received_out), (sent_back, received_back) = got['bytes']
        analytic = ist_round_bytes(IN, WIDTHS, CLASSES, world_size, variant, rank)
        assert sent_out + sent_back == analytic['sent'] > 0
        assert received_out + received_back == analytic['received']
        # The sync hands every rank what it does not own: all (central, ranks > 0),
        # (n - 1) / n of the model (sharded).
        numel = sum(v.numel() for v in after.values()) * 4
        owned = numel if variant == 'central' and rank == 0 else (
            numel // world_size if variant == 'sharded' else 0)
        assert got['synced'] == numel - owned
