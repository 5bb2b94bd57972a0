"""Per-video GFLOPs of AdaFocusV2, counted the way the paper reports them.

"GFLOPs refers to the average computational cost for processing a single video" (paper,
Table 4 caption): f_G on every (downsized) frame, f_L on every patch, π and f_C. Each part is
counted with :class:`mmengine.analysis.FlopAnalyzer` (one FLOP = one multiply-add, the
convention of the paper's 4.1 GFLOPs ResNet-50) **without batch norm**: mmengine counts a
batch-norm layer as one operation per element, and leaving that out gives the paper's
per-video figures (17.60 / 26.95 / 38.96 for P = 96 / 128 / 160 against the official
per-frame constants 1.101 / 1.685 / 2.436 x 16, ops/early_exit.py, `get_flops`), while
with it every model is 1.1-1.6 % above. mmengine does not count ``aten::gru``, so the GRU of
π is added analytically; the bilinear crop (a few operations per patch pixel) is left out, as
in the paper's per-frame constants.
"""
from __future__ import annotations

import torch
from mmengine.analysis import FlopAnalyzer
from torch import nn

from ..models import AdaFocusV2


def count(module: nn.Module, *inputs: torch.Tensor) -> float:
    """GFLOPs (multiply-adds) of one forward of ``module`` on ``inputs``, batch norm left out
    (see the module docstring)."""
    analyzer = FlopAnalyzer(module, inputs).unsupported_ops_warnings(False)
    return (analyzer.total() - analyzer.by_operator().get('batch_norm', 0)) / 1e9


def gru_gflops(gru: nn.GRU, steps: int) -> float:
    """Multiply-adds of a single-layer GRU over ``steps`` steps: 3 gates, input and hidden."""
    return steps * 3 * (gru.input_size + gru.hidden_size) * gru.hidden_size / 1e9


class _Classify(nn.Module):
    """f_C on (global, local) vectors, as one module for the counter."""

    def __init__(self, model: AdaFocusV2) -> None:
        super().__init__()
        self.classifier = model.classifier

    def forward(self, global_feats: torch.Tensor, local_feats: torch.Tensor) -> torch.Tensor:
        return self.classifier(global_feats, local_feats)


@torch.no_grad()
def adafocus_complexity(model: AdaFocusV2, frame_size: int) -> dict[str, float]:
    """Per-video GFLOPs of each part of an AdaFocusV2 model, and its parameter count.

    Args:
        model (AdaFocusV2): The model (its sizes are read from it).
        frame_size (int): Side of the full-resolution input frames.

    The auxiliary heads are used only in training and are not counted.

    Returns:
        dict[str, float]: GFLOPs per video of ``global_encoder``, ``local_encoder``,
        ``policy``, ``classifier`` and ``total``; ``per_frame`` (total / f_L frames) and
        ``params`` (millions, the whole model).
    """
    was_training = model.training
    model.eval()
    t_g = model.num_frames
    t_l = model.num_focus_frames or t_g
    g_size = model.global_size or frame_size
    p = model.patch_size
    # TSM backbones shift along a batch of exactly num_segments frames: count whole videos.
    g_flops = count(model.global_encoder, torch.zeros(t_g, 3, g_size, g_size))
    l_flops = count(model.local_encoder, torch.zeros(t_l, 3, p, p))
    _, maps = model.glance(torch.zeros(1, t_g, 3, frame_size, frame_size))
    pi_flops = count(model.policy, maps)
    gru = getattr(model.policy, 'gru', None)
    if gru is not None:
        pi_flops += gru_gflops(gru, t_g)
    g_vec = maps.mean((3, 4))
    patches = torch.zeros(t_l, 3, p, p)
    l_vec = model._feature_map(model.local_encoder(patches)).mean((2, 3))[None]
    c_flops = count(_Classify(model), g_vec, l_vec)
    model.train(was_training)
    total = g_flops + l_flops + pi_flops + c_flops
    params = sum(x.numel() for x in model.parameters()) / 1e6
    return dict(global_encoder=g_flops, local_encoder=l_flops, policy=pi_flops,
                classifier=c_flops, total=total, per_frame=total / t_l, params=params)
