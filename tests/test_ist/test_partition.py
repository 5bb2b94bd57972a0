"""Partitions, subnet slicing, write-back and the analytic counts (engine/partition.py)."""
from __future__ import annotations

import pytest
import torch

from projects.ist.engine.partition import (
    draw_partition,
    ist_round_bytes,
    model_numel,
    put,
    ring_allreduce_bytes,
    subnet_numel,
    take,
)
from projects.ist.models import ISTFCNet

WIDTHS = [32, 16, 48]


@pytest.mark.parametrize('num_subnets,num_owners', [(1, 1), (2, 1), (4, 1), (2, 2), (4, 4)])
def test_partition_covers_every_neuron_exactly_once(num_subnets, num_owners):
    groups = draw_partition(WIDTHS, num_subnets, torch.Generator().manual_seed(3), num_owners)
    for width, layer in zip(WIDTHS, groups, strict=True):
        assert layer.shape == (num_subnets, width // num_subnets)
        assert torch.equal(layer.flatten().sort().values, torch.arange(width))
        # Block j of every subnet comes from owner j's consecutive shard.
        shard = width // num_owners
        for j, block in enumerate(layer.chunk(num_owners, dim=1)):
            assert ((block >= j * shard) & (block < (j + 1) * shard)).all()


def test_partitions_differ_between_rounds_and_repeat_with_the_seed():
    first = draw_partition(WIDTHS, 2, torch.Generator().manual_seed(0))
    again = draw_partition(WIDTHS, 2, torch.Generator().manual_seed(0))
    other = draw_partition(WIDTHS, 2, torch.Generator().manual_seed(1))
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(first, other, strict=True))


def test_widths_not_divisible_by_the_workers_are_refused():
    with pytest.raises(ValueError, match='not divisible'):
        draw_partition([30], 4, torch.Generator())
    with pytest.raises(ValueError, match='hidden_channels'):
        ISTFCNet(8, [30], 3).narrow(4)


def model_and_groups(num_subnets: int, num_owners: int = 1):
    torch.manual_seed(0)
    model = ISTFCNet(12, WIDTHS, 5)
    groups = draw_partition(WIDTHS, num_subnets, torch.Generator().manual_seed(1), num_owners)
    return model, groups


def test_take_is_the_hand_made_slice():
    model, groups = model_and_groups(4)
    weight = model.fcs[1].weight  # [16, 32]: rows of layer 1, columns of layer 0
    rows, cols = groups[1][2], groups[0][2]
    expected = torch.stack([torch.stack([weight[r, c] for c in cols]) for r in rows])
    axes = model.hidden_axes()['fcs.1.weight']
    assert torch.equal(take(weight, axes, groups, 2), expected)
    out = model.fc_out.weight
    assert torch.equal(take(out, model.hidden_axes()['fc_out.weight'], groups, 1),
                       out[:, groups[2][1]])


@pytest.mark.parametrize('num_subnets,num_owners', [(2, 1), (4, 1), (2, 2), (4, 4)])
def test_write_back_replaces_owned_entries_and_leaves_the_rest(num_subnets, num_owners):
    model, groups = model_and_groups(num_subnets, num_owners)
    before = {k: v.detach().clone() for k, v in model.named_parameters()}
    axes = model.hidden_axes()
    full = dict(model.named_parameters())
    owned = {k: torch.zeros_like(v, dtype=torch.bool) for k, v in before.items()}
    for name, param in full.items():
        for i in range(num_subnets):
            for block in range(num_owners):
                piece = take(param, axes[name], groups, i, block, num_owners)
                put(param, axes[name], groups, i, -piece - 1000.0, block, num_owners)
                put(owned[name], axes[name], groups, i, torch.ones_like(piece, dtype=torch.bool),
                    block, num_owners)
    for name, param in full.items():
        assert torch.equal(param[owned[name]], -before[name][owned[name]] - 1000.0), name
        assert torch.equal(param[~owned[name]], before[name][~owned[name]]), name
    # The cross blocks of a hidden-to-hidden matrix belong to no subnet: (n - 1) / n of it.
    for layer in (1, 2):
        mask = owned[f'fcs.{layer}.weight']
        assert mask.sum() == mask.numel() // num_subnets
    for name in ('fcs.0.weight', 'fc_out.weight', 'bns.0.weight', 'bns.2.bias'):
        assert owned[name].all(), name


@pytest.mark.parametrize('num_subnets', [1, 2, 4])
def test_subnet_size_formula_matches_the_subnet_model(num_subnets):
    model = ISTFCNet(12, WIDTHS, 5)
    subnet = model.narrow(num_subnets)
    assert subnet_numel(12, WIDTHS, 5, num_subnets) == sum(
        p.numel() for p in subnet.parameters())
    assert model_numel(12, WIDTHS, 5) == sum(p.numel() for p in model.parameters())


def test_round_bytes_formula():
    # 2-layer speech model, 4 workers: S = 4096*1024 + 35*1024 + 2*1024 elements.
    s = (4096 * 1024 + 35 * 1024 + 2 * 1024) * 4
    assert ist_round_bytes(4096, [4096], 35, 4, 'central', 0)['sent'] == 3 * s
    assert ist_round_bytes(4096, [4096], 35, 4, 'central', 2) == dict(sent=s, received=s)
    assert ist_round_bytes(4096, [4096], 35, 4, 'sharded', 1)['received'] == 2 * 3 * s // 4
    assert ist_round_bytes(4096, [4096], 35, 1, 'central', 0)['sent'] == 0
    # Data parallel: 2 (n - 1) / n of the model each way at every step; a central-server
    # worker sends about 1/n of it once per round of R steps.
    numel = model_numel(4096, [4096], 35)
    assert ring_allreduce_bytes(numel, 4) == 2 * 3 * numel * 4 // 4
    assert ring_allreduce_bytes(numel, 4) == 3 * (2 * s)  # 3 worker rounds of traffic
    with pytest.raises(ValueError, match='variant'):
        ist_round_bytes(8, [8], 2, 2, 'ring', 0)
