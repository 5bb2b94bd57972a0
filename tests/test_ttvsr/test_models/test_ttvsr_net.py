"""TTVSRNet: keyframes, trajectories, shapes, parameter count, gradients, bad input.

Reference: the official ``TTVSRNet`` in ``mmedit/models/backbones/sr_backbones/ttvsrnet.py``.
"""
from __future__ import annotations

from unittest import mock

import pytest
import torch
from mmagic.models.utils import flow_warp
from torch.nn import functional

from projects.ttvsr.models import (
    SingleFrameVSRNet,
    TTVSRNet,
    keyframe_indices,
    token_grid,
    update_locations,
)

from .test_ltam import literal_ltam


def tiny_net(**kwargs) -> TTVSRNet:
    torch.manual_seed(0)
    return TTVSRNet(**dict(dict(mid_channels=8, num_blocks=1, num_extract_blocks=1), **kwargs))


@pytest.mark.parametrize('t,forward,backward', [
    (10, [0, 3, 6, 9], [9, 6, 3]),
    (7, [0, 3, 6], [6, 3]),
    (4, [0, 3], [3]),
    (2, [0], [1]),
])
def test_keyframes_of_both_passes(t, forward, backward):
    """Backward keyframes start at t-1 and never include frame 0 (official ``TTVSRNet.forward``).
    """
    assert keyframe_indices(t, 3) == (forward, backward)


def constant_flow(n, h, w, dx, dy):
    flow = torch.zeros(n, 2, h, w)
    flow[:, 0], flow[:, 1] = dx, dy
    return flow


@pytest.mark.parametrize('dx,dy', [(4., -8.), (-4., 0.), (8., 4.)])
def test_location_update_composes_a_constant_translation(dx, dy):
    """After k steps of flow (dx, dy) a trajectory sits k*(dx, dy)/stride cells away, held at
    the border of the grid (border padding), and a later trajectory only moved since its
    start (official ``TTVSRNet.forward``)."""
    n, grid_h, grid_w, stride = 1, 6, 7, 4
    flow = constant_flow(n, grid_h * stride, grid_w * stride, dx, dy)
    grid = token_grid(n, grid_h, grid_w, flow)
    locations = grid
    for step in range(1, 4):
        locations = update_locations(locations, flow, stride)
        if step == 1:
            locations = torch.cat([locations, grid], dim=1)
    moves = [3, 2]  # trajectory 0 started at step 0, trajectory 1 after step 1
    for trajectory, k in enumerate(moves):
        expected_x = (grid[0, 0, 0] + k * dx / stride).clamp(0, grid_w - 1)
        expected_y = (grid[0, 0, 1] + k * dy / stride).clamp(0, grid_h - 1)
        torch.testing.assert_close(locations[0, trajectory, 0], expected_x, rtol=0, atol=0)
        torch.testing.assert_close(locations[0, trajectory, 1], expected_y, rtol=0, atol=0)


def test_location_update_uses_the_flow_averaged_over_each_token():
    """Half the pixels of every token move 8 px, half 0: the token moves 4 px, one cell."""
    flow = torch.zeros(1, 2, 8, 16)
    flow[:, 0, :, 0::4] = 8.
    flow[:, 0, :, 1::4] = 8.
    locations = update_locations(token_grid(1, 2, 4, flow), flow, 4)
    torch.testing.assert_close(locations[0, 0, 0], torch.tensor([[1., 2., 3., 3.]] * 2))


def test_paper_size_parameter_count():
    """6,773,615 as counted from the official layer shapes (the paper says 6.8M)."""
    net = TTVSRNet()

    def count(module):
        return sum(p.numel() for p in module.parameters())

    assert count(net) == 6_773_615
    assert count(net.spynet) == 1_440_300
    assert count(net.feat_extractor) == 371_072
    assert count(net.resblocks) == 4_505_152
    assert count(net.LTAM) == 110_656
    upsampler = (net.fusion, net.upsample1, net.upsample2, net.conv_hr, net.conv_last)
    assert sum(count(m) for m in upsampler) == 346_435


@pytest.mark.parametrize('t,h,w', [(2, 8, 8), (5, 8, 12), (7, 12, 8)])
def test_output_is_x4(t, h, w):
    out = tiny_net()(torch.rand(2, t, 3, h, w))
    assert out.shape == (2, t, 3, 4 * h, 4 * w)
    assert torch.isfinite(out).all()


def test_single_frame_baseline_output_is_x4_and_ignores_other_frames():
    torch.manual_seed(0)
    net = SingleFrameVSRNet(mid_channels=8, num_blocks=1, num_extract_blocks=1)
    clip = torch.rand(2, 3, 3, 8, 12)
    out = net(clip)
    assert out.shape == (2, 3, 3, 32, 48)
    torch.testing.assert_close(net(clip[:, 1:2])[:, 0], out[:, 1])


def test_every_parameter_gets_a_gradient():
    """Keys only through the soft weight (the hard index is an argmax, as in the official
    ``LTAM.forward``), SPyNet through the bilinear warps."""
    net = tiny_net()
    net(torch.rand(1, 4, 3, 8, 8)).mean().backward()
    missing = [name for name, p in net.named_parameters()
               if p.grad is None or not p.grad.abs().sum() > 0]
    assert not missing


def test_the_first_frame_reaches_the_last():
    """Frame 0 changes the output at frame 6, two keyframe intervals later (propagation)."""
    net = tiny_net().eval()
    clip = torch.rand(1, 7, 3, 8, 8)
    changed = clip.clone()
    changed[:, 0] = torch.rand(3, 8, 8)
    with torch.no_grad():
        assert not torch.allclose(net(clip)[:, 6], net(changed)[:, 6])


def test_mirror_extended_clip_runs_spynet_once():
    net = tiny_net()
    clip = torch.rand(1, 3, 3, 8, 8)
    mirrored = torch.cat([clip, clip.flip(1)], dim=1)
    with mock.patch.object(net.spynet, 'forward', wraps=net.spynet.forward) as spynet:
        to_previous, to_next = net.compute_flow(mirrored)
        assert spynet.call_count == 1
        torch.testing.assert_close(to_previous, to_next.flip(1))
        net.compute_flow(clip)
        assert spynet.call_count == 3


def test_any_frame_size_runs_as_the_official_code():
    """UDM10's BD frames (180x318) are not multiples of the 4x4 tokens; the official network
    runs them (tokens over the top-left 180x316). A 16x18 clip takes the same path."""
    net = tiny_net().eval()
    clip = torch.rand(1, 4, 3, 16, 18)
    with torch.no_grad():
        out = net(clip)
    assert out.shape == (1, 4, 3, 64, 72) and torch.isfinite(out).all()


def test_eval_is_deterministic():
    net = tiny_net().eval()
    clip = torch.rand(1, 4, 3, 8, 8)
    with torch.no_grad():
        torch.testing.assert_close(net(clip), net(clip), rtol=0, atol=0)


@pytest.mark.parametrize('shape,match', [
    ((1, 4, 3, 3, 12), r'3x12 is smaller than one token \(4x4\)'),
    ((1, 1, 3, 8, 8), r'at least 2 frames per sequence .* got t=1'),
    ((4, 3, 8, 8), r'shape \(n, t, 3, h, w\), got \(4, 3, 8, 8\)'),
    ((1, 4, 1, 8, 8), r'shape \(n, t, 3, h, w\)'),
])
def test_bad_input_is_refused_clearly(shape, match):
    with pytest.raises(ValueError, match=match):
        tiny_net()(torch.rand(*shape))


def test_bad_constructor_arguments_are_refused():
    with pytest.raises(ValueError, match='multiple of 4, got 5'):
        tiny_net(stride=5)
    with pytest.raises(ValueError, match='frame_stride .* got 0'):
        tiny_net(frame_stride=0)


def test_stride_eight_tokens():
    out = tiny_net(stride=8)(torch.rand(1, 3, 3, 16, 8))
    assert out.shape == (1, 3, 3, 64, 32)


def test_spynet_pretrained_is_loaded(tmp_path):
    source = tiny_net().spynet
    path = str(tmp_path / 'spynet.pth')
    torch.save({k: v for k, v in source.state_dict().items() if k not in ('mean', 'std')},
               path)
    torch.manual_seed(1)
    loaded = TTVSRNet(mid_channels=8, num_blocks=1, num_extract_blocks=1,
                      spynet_pretrained=path).spynet
    for key, value in source.state_dict().items():
        torch.testing.assert_close(loaded.state_dict()[key], value, rtol=0, atol=0)


def literal_forward(net: TTVSRNet, lrs: torch.Tensor) -> torch.Tensor:
    """The official ``TTVSRNet.forward`` step by step with the network's layers: per-frame
    indexing, keyframe lists grown at every keyframe, the location map as (n, 2T, H, W),
    grid_sample attention."""
    n, t, c, h, w = lrs.shape
    grid_h, grid_w = h // 4, w // 4
    to_previous, to_next = net.compute_flow(lrs)
    feats = [net.feat_extractor(lrs[:, i]) for i in range(t)]
    ys, xs = torch.meshgrid(torch.arange(float(grid_h)), torch.arange(float(grid_w)),
                            indexing='ij')
    identity = torch.stack([xs, ys]).expand(n, 2, grid_h, grid_w)

    def run(order, flow_into, keyframes):
        state, location, key_feats, hiddens, states = None, identity, [], [], {}
        for i in order:
            if state is None:
                state = torch.zeros_like(feats[i])
            else:
                flow = flow_into(i)
                state = flow_warp(state, flow.permute(0, 2, 3, 1), padding_mode='border')
                pooled = functional.adaptive_avg_pool2d(flow, (grid_h, grid_w)) / 4
                location = flow_warp(location, pooled.permute(0, 2, 3, 1),
                                     interpolation='nearest', padding_mode='border')
                state = literal_ltam(net.LTAM, feats[i], key_feats, hiddens,
                                     location.view(n, -1, 2, grid_h, grid_w), state)
                if i in keyframes:
                    location = torch.cat([location, identity], dim=1)
            state = net.resblocks(torch.cat([feats[i], state], dim=1))
            if i in keyframes:
                key_feats.append(feats[i])
                hiddens.append(state)
            states[i] = state
        return states

    backward = run(range(t - 1, -1, -1), lambda i: to_next[:, i], range(t - 1, 0, -3))
    forward = run(range(t), lambda i: to_previous[:, i - 1], range(0, t, 3))
    return torch.stack([net.reconstruct(torch.cat([backward[i], feats[i], forward[i]], 1),
                                        lrs[:, i]) for i in range(t)], dim=1)


@pytest.mark.parametrize('t', [2, 7])
def test_network_equals_the_literal_reading(t):
    net = tiny_net().eval()
    clip = torch.rand(2, t, 3, 12, 16)
    with torch.no_grad():
        torch.testing.assert_close(net(clip), literal_forward(net, clip))


def test_location_update_pools_the_flow_over_the_whole_frame():
    """On a 10x14 frame the token grid is 2x3; as in the official code the flow is pooled
    adaptively, so motion in the last two columns (outside the 8x12 token region) moves the
    last token column: dx = -8 px there averages to -0.8 tokens, and the nearest cell is 1."""
    locations = token_grid(1, 2, 3, torch.zeros(1))
    flow = torch.zeros(1, 2, 10, 14)
    flow[:, 0, :, 12:] = -8.0
    moved = update_locations(locations, flow, 4)
    assert moved[0, 0, 0, :, 2].tolist() == [1.0, 1.0]
    torch.testing.assert_close(moved[..., :2], locations[..., :2])
