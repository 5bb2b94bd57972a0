"""Trajectory-aware attention, ``LTAM`` in the official code.

Official code: ``LTAM.forward`` (attention) and the keyframe tokenisation in
``TTVSRNet.forward``, both in ``mmedit/models/backbones/sr_backbones/ttvsrnet.py``.

A *token* is a non-overlapping ``stride`` x ``stride`` patch of a feature map flattened to
``c * stride**2`` numbers. Token maps are kept channels last, (n, H, W, D) with H = h / stride
and W = w / stride, so that reading one token along a trajectory reads one contiguous row.
"""
from __future__ import annotations

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch.nn import functional

from ..ops import trajectory_gather


def tokenize(feat: torch.Tensor, stride: int) -> torch.Tensor:
    """Cut (n, c, h, w) into 4x4 (``stride``) tokens: (n, ⌊h/stride⌋, ⌊w/stride⌋, c*stride**2).

    The channel order is that of ``functional.unfold(feat, stride, stride=stride)`` (channel-major,
    then row, then column within the patch), which ``pixel_unshuffle`` produces without the
    (n, D, H*W) intermediate. Like ``unfold``, it drops the last h mod stride rows and
    w mod stride columns.
    """
    h, w = feat.shape[-2:]
    feat = feat[..., :h - h % stride, :w - w % stride]
    return functional.pixel_unshuffle(feat, stride).permute(0, 2, 3, 1)


def untokenize(tokens: torch.Tensor, stride: int) -> torch.Tensor:
    """Inverse of :func:`tokenize`: tile (n, H, W, c*stride**2) tokens back to (n, c, h, w)."""
    return functional.pixel_shuffle(tokens.permute(0, 3, 1, 2), stride)


class LTAM(BaseModule):
    """Trajectory-aware attention over the keyframes of one pass (official ``LTAM.forward``).

    For each token position p of the current frame i, the query q_p is the token of the
    shallow feature F_i; along p's trajectory, keyframe k offers the key token of its shallow
    feature F_k and three value tokens of its propagated feature H_k (scales 4/6/8, as the
    official ``TTVSRNet.forward`` tokenises keyframes).
    With relevance r_pk = cos(q_p, key_k(tau_p(k))), the hard index is h_p = argmax_k r_pk and
    the soft weight s_p = max_k r_pk (TTSR-style hard/soft attention: no softmax, one head).
    The output is ``fusion(values at h_p) * s_p + anchor``, where ``fusion`` is a 3x3 conv
    3*mid -> mid and the anchor is the flow-warped previous hidden state.

    Args:
        mid_channels (int): Channels c of the features. Default: 64.
        stride (int): Token size; a multiple of 4 so that the 1.5x and 2x value windows and
            their paddings are whole pixels (6/8 with padding 1/2 for 4). Default: 4.
    """

    def __init__(self, mid_channels: int = 64, stride: int = 4) -> None:
        super().__init__()
        if stride < 4 or stride % 4:
            raise ValueError(f'LTAM: stride (the token size) must be a positive multiple of 4, '
                             f'got {stride}; the cross-scale value windows are 1.5 and 2 '
                             'times the token size with padding of 1/4 and 1/2 of it (as in the '
                             'official TTVSR code)')
        self.mid_channels = mid_channels
        self.stride = stride
        self.fusion = nn.Conv2d(3 * mid_channels, mid_channels, 3, 1, 1)

    def key_tokens(self, feat: torch.Tensor) -> torch.Tensor:
        """Keys of a keyframe from its shallow feature F_k: (n, H, W, D), L2-normalised.

        Normalising once when a keyframe is stored equals normalising every gathered copy
        (gathering copies tokens; out-of-grid zeros stay zero), and costs T times less.
        """
        return functional.normalize(tokenize(feat, self.stride), dim=-1)

    def value_tokens(self, feat: torch.Tensor) -> torch.Tensor:
        """Cross-scale value tokens of a keyframe's hidden state H_k.

        As the official ``TTVSRNet.forward`` tokenises a keyframe ("feature tokenization").

        Scale 1 is the 4x4 token itself. Scales 2 and 3 take the 6x6 (padding 1) and 8x8
        (padding 2) windows around each token, tile them on a 1.5x / 2x canvas, average-pool
        the canvas back to h x w (each window to 4x4; the pooling windows never straddle two
        tiles) and cut 4x4 tokens again.

        Args:
            feat (Tensor): (n, c, h, w) hidden state of the keyframe.

        Returns:
            Tensor: (n, H, W, 3*D), the three scales concatenated along the last axis.
        """
        n, c, h, w = feat.shape
        s = self.stride
        scales = [tokenize(feat, s)]
        for window, padding in ((3 * s // 2, s // 4), (2 * s, s // 2)):
            patches = functional.unfold(feat, window, padding=padding, stride=s)
            # The official canvas is ⌊1.5h⌋ x ⌊1.5w⌋ (2h x 2w): on frames that are not a
            # multiple of s it keeps empty margins, which the pooling below averages in.
            canvas = functional.fold(patches, (window * h // s, window * w // s), window,
                                     stride=window)
            scales.append(tokenize(functional.adaptive_avg_pool2d(canvas, (h, w)), s))
        return torch.cat(scales, dim=-1)

    def forward(self, feat: torch.Tensor, keys: torch.Tensor, values: torch.Tensor,
                locations: torch.Tensor, anchor: torch.Tensor) -> torch.Tensor:
        """Attend along each token's trajectory over the stored keyframes.

        Args:
            feat (Tensor): (n, c, h, w) shallow feature F_i of the current frame (queries).
            keys (Tensor): (n, T, H, W, D) :meth:`key_tokens` of the T keyframes.
            values (Tensor): (n, T, H, W, 3*D) :meth:`value_tokens` of the T keyframes.
            locations (Tensor): (n, T, 2, H, W) location map: for each current token position,
                the (x, y) cell of its trajectory in each keyframe (official
                ``TTVSRNet.forward``).
            anchor (Tensor): (n, c, h, w) flow-warped previous hidden state A0_i.

        Returns:
            Tensor: (n, c, h, w) attention output A_i, the input of the trunk with F_i.
        """
        s = self.stride
        query = functional.normalize(tokenize(feat, s), dim=-1)
        gathered_keys = trajectory_gather(keys, locations)
        relevance = torch.einsum('nkhwd,nhwd->nkhw', gathered_keys, query)
        soft, hard = relevance.max(dim=1)
        # Only the selected keyframe's values are needed: reading them at the hard index
        # equals gathering all T and then picking with torch.gather, at 1/T of the cost.
        n, _, _, grid_h, grid_w = locations.shape
        index = hard.view(n, 1, 1, grid_h, grid_w).expand(n, 1, 2, grid_h, grid_w)
        selected = trajectory_gather(values, locations.gather(1, index), frames=hard[:, None])
        out = self.fusion(untokenize(selected[:, 0], s))
        weight = soft.repeat_interleave(s, dim=1).repeat_interleave(s, dim=2)
        out = out * weight.unsqueeze(1)
        h, w = anchor.shape[-2:]
        if out.shape[-2:] != (h, w):
            # Outside the token region the official output is the anchor alone.
            out = functional.pad(out, (0, w - out.shape[-1], 0, h - out.shape[-2]))
        return out + anchor
