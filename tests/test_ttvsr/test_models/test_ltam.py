"""Tokens and the trajectory-aware attention against a literal reading of the official code.

Official code: the keyframe tokenisation in ``TTVSRNet.forward`` and ``LTAM.forward``, both in
``mmedit/models/backbones/sr_backbones/ttvsrnet.py`` of researchmm/TTVSR.
"""
from __future__ import annotations

import pytest
import torch
from torch.nn import functional

from projects.ttvsr.models import LTAM, token_grid, tokenize, untokenize


@pytest.mark.parametrize('stride', [4, 8])
def test_untokenize_inverts_tokenize(stride):
    feat = torch.randn(2, 3, 2 * stride, 3 * stride)
    tokens = tokenize(feat, stride)
    assert tokens.shape == (2, 2, 3, 3 * stride * stride)
    torch.testing.assert_close(untokenize(tokens, stride), feat, rtol=0, atol=0)


def test_tokens_are_the_unfolded_patches():
    """The same channel order as unfold with a 4x4 kernel and stride 4 (official code)."""
    feat = torch.randn(2, 3, 8, 12)
    unfolded = functional.unfold(feat, 4, stride=4).view(2, 48, 2, 3).permute(0, 2, 3, 1)
    torch.testing.assert_close(tokenize(feat, 4), unfolded, rtol=0, atol=0)
    # A token holds its own patch: token (1, 2) is rows 4..7, columns 8..11.
    torch.testing.assert_close(tokenize(feat, 4)[:, 1, 2], feat[:, :, 4:8, 8:12].flatten(1))


def literal_value_tokens(hidden: torch.Tensor, stride: int = 4) -> list[torch.Tensor]:
    """The official tokenisation step by step, with unfold/fold; three (n, D, H, W) maps."""
    n, c, h, w = hidden.shape
    grid = (h // stride, w // stride)

    def cut(x):
        return functional.unfold(x, stride, stride=stride).view(n, -1, *grid)

    out = [cut(hidden)]
    for window, padding, factor in ((6, 1, 1.5), (8, 2, 2)):
        patches = functional.unfold(hidden, window, padding=padding, stride=stride)
        canvas = functional.fold(patches, (int(factor * h), int(factor * w)), window, stride=window)
        out.append(cut(functional.adaptive_avg_pool2d(canvas, (h, w))))
    return out


# 10x14 is not a multiple of the 4x4 tokens: the official code tokenises the top-left 8x12
# and pools canvases of 15x21 / 20x28 (with empty margins) back to 10x14.
@pytest.mark.parametrize('h,w', [(8, 12), (10, 14), (11, 13)])
def test_value_tokens_follow_the_official_code(h, w):
    hidden = torch.randn(2, 3, h, w)
    values = LTAM(3).value_tokens(hidden)
    assert values.shape == (2, h // 4, w // 4, 3 * 48)
    expected = torch.cat(literal_value_tokens(hidden), dim=1).permute(0, 2, 3, 1)
    torch.testing.assert_close(values, expected)


def test_larger_windows_pool_their_own_window():
    """Scale 3 is the 8x8 window around the token (padding 2) averaged 2x2 down to 4x4."""
    hidden = torch.randn(1, 2, 12, 12)
    scale3 = LTAM(2).value_tokens(hidden)[..., 2 * 32:]
    window = functional.pad(hidden, (2, 2, 2, 2))[:, :, 4:12, 4:12]  # token (1, 1): rows/cols 2..9
    torch.testing.assert_close(scale3[0, 1, 1], functional.avg_pool2d(window, 2).flatten())


def literal_ltam(ltam: LTAM, feat, key_feats, hiddens, locations, anchor):
    """The official ``LTAM.forward`` step by step: grid_sample every map, cosine, max,
    torch.gather, fold."""
    n, c, h, w = feat.shape
    s, grid_h, grid_w = ltam.stride, h // 4, w // 4
    num = len(key_feats)
    x = 2 * locations[:, :, 0] / (grid_w - 1) - 1
    y = 2 * locations[:, :, 1] / (grid_h - 1) - 1
    grid = torch.stack([x, y], dim=-1).flatten(0, 1)

    def sample(maps):  # list over keyframes of (n, D, H, W) -> (n, T, D, H*W)
        stacked = torch.stack(maps, dim=1).flatten(0, 1)
        out = functional.grid_sample(stacked, grid, mode='nearest', padding_mode='zeros',
                            align_corners=True)
        return out.view(n, num, -1, grid_h * grid_w)

    keys = sample([functional.unfold(f, s, stride=s).view(n, -1, grid_h, grid_w)
                   for f in key_feats])
    keys = functional.normalize(keys.permute(0, 3, 1, 2), dim=3)
    query = functional.normalize(functional.unfold(feat, s, stride=s).permute(0, 2, 1), dim=2)
    relevance = torch.matmul(keys, query.unsqueeze(3)).squeeze(3)
    soft, hard = relevance.max(dim=2)
    scales = zip(*[literal_value_tokens(hid) for hid in hiddens], strict=True)
    picked = []
    for maps in scales:
        values = sample(list(maps))
        index = hard.view(n, 1, 1, -1).expand(n, 1, values.size(2), -1)
        chosen = values.gather(1, index).squeeze(1)
        picked.append(functional.fold(chosen, (h, w), s, stride=s))
    weight = functional.fold(soft.unsqueeze(1).expand(n, c * s * s, -1), (h, w), s, stride=s)
    return ltam.fusion(torch.cat(picked, dim=1)) * weight + anchor


@pytest.mark.parametrize('h,w', [(8, 12), (10, 14)])
def test_ltam_equals_the_literal_reading(h, w):
    torch.manual_seed(0)
    n, c, num = 2, 3, 3
    ltam = LTAM(c)
    feat, anchor = torch.randn(n, c, h, w), torch.randn(n, c, h, w)
    key_feats = [torch.randn(n, c, h, w) for _ in range(num)]
    hiddens = [torch.randn(n, c, h, w) for _ in range(num)]
    x = torch.randint(-1, 4, (n, num, 2, 3))
    y = torch.randint(-1, 3, (n, num, 2, 3))
    locations = torch.stack([x, y], dim=2).float()
    keys = torch.stack([ltam.key_tokens(f) for f in key_feats], dim=1)
    values = torch.stack([ltam.value_tokens(hid) for hid in hiddens], dim=1)
    out = ltam(feat, keys, values, locations, anchor)
    expected = literal_ltam(ltam, feat, key_feats, hiddens, locations, anchor)
    torch.testing.assert_close(out, expected)
    # Outside the tokens (the last h mod 4 rows, w mod 4 columns) the output is the anchor.
    torch.testing.assert_close(out[..., 8:, :], anchor[..., 8:, :], rtol=0, atol=0)
    torch.testing.assert_close(out[..., 12:], anchor[..., 12:], rtol=0, atol=0)


def test_the_matching_keyframe_is_selected_with_weight_one():
    """Keyframe 1 holds the query itself: cosine 1 beats any other, so its values are used."""
    torch.manual_seed(0)
    n, c, h, w = 1, 4, 8, 8
    ltam = LTAM(c)
    feat, anchor = torch.rand(n, c, h, w), torch.zeros(n, c, h, w)
    others = -torch.rand(n, c, h, w)  # negative everywhere: cosine < 0 with the query
    keys = torch.stack([ltam.key_tokens(others), ltam.key_tokens(feat)], dim=1)
    hiddens = [torch.randn(n, c, h, w), torch.randn(n, c, h, w)]
    values = torch.stack([ltam.value_tokens(hid) for hid in hiddens], dim=1)
    locations = token_grid(n, 2, 2, feat).expand(n, 2, 2, 2, 2)
    out = ltam(feat, keys, values, locations, anchor)
    torch.testing.assert_close(out, ltam.fusion(untokenize(values[:, 1], 4)))


def test_stride_must_be_a_multiple_of_four():
    with pytest.raises(ValueError, match='multiple of 4, got 6'):
        LTAM(8, stride=6)
