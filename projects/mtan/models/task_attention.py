"""The task-specific attention networks of MTAN (Liu et al., CVPR 2019, Sec. 3.1, Fig. 2-3).

Each task owns a chain of soft-attention modules, one per encoder and per decoder stage of the
shared network. A module reads shared features (and the task's previous attended feature) and
outputs a mask in [0, 1] of the shape of the shared block's output, which it multiplies
element-wise. Between stages the task features pass through convolutions that all tasks share
(``f^(j)`` in the paper). Layer sizes follow the official ``SegNet`` of lorenmt/mtan
``im2im_pred/model_segnet_mtan.py`` (``att_layer``, ``encoder_att``, ``decoder_att``,
``encoder_block_att``, ``decoder_block_att``).
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional

from ..registry import MODELS
from .segnet import SegNetFeatures, conv_bn_act, conv_bn_relu


class AttentionModule(nn.Module):
    """One soft-attention module: 1x1 conv-BN-ReLU → 1x1 conv-BN-Sigmoid (official
    ``att_layer``).

    Args:
        in_channels (int): Channels of the module's input.
        channels (int): Channels of the hidden layer and of the mask.
    """

    def __init__(self, in_channels: int, channels: int) -> None:
        super().__init__()
        self.squeeze = conv_bn_act(in_channels, channels, 1)
        self.excite = conv_bn_act(channels, channels, 1, act='Sigmoid')

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The mask, (B, channels, H, W) in [0, 1]."""
        return self.excite(self.squeeze(x))


@MODELS.register_module()
class MTANAttention(nn.Module):
    """The attention networks of all tasks over a :class:`~.segnet.SegNet`.

    Encoder stage ``j``: the mask ``a^(j) = g([u^(j), f^(j-1)(â^(j-1))])`` (only ``u^(0)`` at
    ``j = 0``) multiplies the stage output ``p^(j)``; the shared ``f^(j)`` (3x3 conv-BN-ReLU)
    and a 2x2 max-pool (without indices) feed the next stage (paper Eq. 1). Decoder stage
    ``j``: the previous task feature is upsampled bilinearly (x2, ``align_corners=True``),
    passed through a shared 3x3 conv-BN-ReLU, concatenated with the shared unpooled feature;
    the mask multiplies the decoder stage output (Eq. 2).

    Args:
        num_tasks (int): Number of tasks (one attention chain each).
        filters (Sequence[int]): Channels of the backbone's five stages. Defaults to
            ``(64, 128, 256, 512, 512)``.
    """

    def __init__(self, num_tasks: int, filters=(64, 128, 256, 512, 512)) -> None:
        super().__init__()
        f = tuple(filters)
        dec = [f[max(k - 1, 0)] for k in range(5)]  # decoder output channels per level
        self.num_tasks = num_tasks
        self.encoder_att = nn.ModuleList(
            nn.ModuleList(AttentionModule(f[0] if j == 0 else 2 * f[j], f[j]) for j in range(5))
            for _ in range(num_tasks))
        # Decoder modules are listed deepest first, like the decoder stages of SegNet.
        self.decoder_att = nn.ModuleList(
            nn.ModuleList(AttentionModule(f[k] + dec[k], dec[k]) for k in reversed(range(5)))
            for _ in range(num_tasks))
        self.encoder_shared = nn.ModuleList(conv_bn_relu(f[j], f[min(j + 1, 4)])
                                            for j in range(5))
        self.decoder_shared = nn.ModuleList(conv_bn_relu(f[k], dec[k])
                                            for k in reversed(range(5)))

    def forward(self, feats: SegNetFeatures,
                return_masks: bool = False) -> list[torch.Tensor] | tuple[list, list]:
        """Task features (B, filters[0], H, W), one per task.

        With ``return_masks`` also returns every task's masks: a list (tasks) of lists
        (5 encoder masks, then 5 decoder masks).
        """
        outs, masks = [], []
        for task in range(self.num_tasks):
            task_masks = []
            x = None
            for j, att in enumerate(self.encoder_att[task]):
                mask = att(feats.enc_first[j] if j == 0 else
                           torch.cat((feats.enc_first[j], x), dim=1))
                task_masks.append(mask)
                x = functional.max_pool2d(self.encoder_shared[j](mask * feats.enc_out[j]), 2, 2)
            for j, att in enumerate(self.decoder_att[task]):
                x = functional.interpolate(x, scale_factor=2, mode='bilinear', align_corners=True)
                x = self.decoder_shared[j](x)
                mask = att(torch.cat((feats.dec_unpooled[j], x), dim=1))
                task_masks.append(mask)
                x = mask * feats.dec_out[j]
            outs.append(x)
            masks.append(task_masks)
        return (outs, masks) if return_masks else outs
