"""A classical optical-flow estimator with SPyNet's interface (the tiny configs' stand-in).

TTVSR and BasicVSR start from a SPyNet pre-trained on FlyingChairs/Sintel (``spynet_pretrained``
in TTVSR's official configs), which
cannot be downloaded here, and a SPyNet trained from scratch on CPU does not get past predicting
no motion (projects/ttvsr/README.md, Results, "Flow"). What the tiny configs need is what the
frozen, pre-trained SPyNet gives the paper: a fixed flow estimator that works on unseen content.
:class:`DISFlow` is OpenCV's Dense Inverse Search (Kroeger et al., ECCV 2016), a coarse-to-fine
patch-matching estimator without learned weights, behind ``SPyNet.forward(ref, supp)``.

Frozen by construction (no parameters, no gradient): fine for the tiny configs, where SPyNet is
frozen for the whole schedule anyway, not a replacement for fine-tuning SPyNet at paper scale.
"""
from __future__ import annotations

import cv2
import numpy as np
import torch
from mmagic.registry import MODELS
from torch import nn

# ITU-R BT.601 luma, as cv2.cvtColor(RGB2GRAY).
_LUMA = (0.299, 0.587, 0.114)
MIN_SIZE = 16  # frames are padded to this size; OpenCV's DIS needs at least 12 pixels
_PRESETS = dict(ultrafast=cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST,
                fast=cv2.DISOPTICAL_FLOW_PRESET_FAST,
                medium=cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)


@MODELS.register_module()
class DISFlow(nn.Module):
    """Dense Inverse Search optical flow with the interface of mmagic's ``SPyNet``.

    ``DISFlow()(ref, supp)`` is the flow (dx, dy) in pixels with
    ``flow_warp(supp, flow.permute(0, 2, 3, 1)) ~= ref`` (BasicVSR's convention), computed on
    the 8-bit luma of each pair on the CPU and returned on the input's device and dtype.

    Args:
        preset (str): OpenCV preset, ``'ultrafast'``, ``'fast'`` or ``'medium'``.
            Defaults to ``'medium'``.
        patch_size (int): Side of the matched patches. Defaults to 8 (the best of 4/6/8 on
            the embedded clips' 16x16 training crops; 4 is better on whole 32x32 frames).
        patch_stride (int): Stride between patches. Defaults to 2.
        finest_scale (int): Finest pyramid level (0 = full resolution; the small LR frames
            need it). Defaults to 0.
    """

    def __init__(self, preset: str = 'medium', patch_size: int = 8, patch_stride: int = 2,
                 finest_scale: int = 0) -> None:
        super().__init__()
        if preset not in _PRESETS:
            raise ValueError(f'DISFlow: preset must be one of {sorted(_PRESETS)}, '
                             f'got {preset!r}.')
        if not 0 < patch_stride <= patch_size:
            raise ValueError(f'DISFlow: need 0 < patch_stride <= patch_size, got '
                             f'patch_stride={patch_stride}, patch_size={patch_size}.')
        self.preset = preset
        self.patch_size = patch_size
        self.patch_stride = patch_stride
        self.finest_scale = finest_scale
        self.register_buffer('luma', torch.tensor(_LUMA).view(1, 3, 1, 1), persistent=False)

    def make_estimator(self) -> cv2.DISOpticalFlow:
        """A fresh OpenCV estimator (not kept: it cannot be pickled or deep-copied)."""
        estimator = cv2.DISOpticalFlow_create(_PRESETS[self.preset])
        estimator.setFinestScale(self.finest_scale)
        estimator.setPatchSize(self.patch_size)
        estimator.setPatchStride(self.patch_stride)
        return estimator

    @torch.no_grad()
    def forward(self, ref: torch.Tensor, supp: torch.Tensor) -> torch.Tensor:
        """Flow from each reference frame to its supporting frame.

        Args:
            ref (torch.Tensor): (n, 3, h, w) RGB frames in [0, 1].
            supp (torch.Tensor): (n, 3, h, w) RGB frames in [0, 1].

        Returns:
            torch.Tensor: (n, 2, h, w) flow in pixels, (dx, dy).
        """
        if ref.shape != supp.shape or ref.ndim != 4 or ref.shape[1] != 3:
            raise ValueError(f'DISFlow expects two (n, 3, h, w) RGB batches of one shape, got '
                             f'{tuple(ref.shape)} and {tuple(supp.shape)}.')

        def to_grey(x: torch.Tensor) -> np.ndarray:
            grey = (x.float() * self.luma.to(x.device)).sum(1).clamp(0, 1) * 255.0
            return grey.round().to(torch.uint8).cpu().numpy()

        refs, supps = to_grey(ref), to_grey(supp)
        h, w = refs.shape[-2:]
        # OpenCV's DIS refuses frames under 12 pixels (e.g. small training crops): pad them by
        # replicating the border and crop the flow back.
        pad = ((0, 0), (0, max(0, MIN_SIZE - h)), (0, max(0, MIN_SIZE - w)))
        if any(after for _, after in pad):
            refs, supps = np.pad(refs, pad, mode='edge'), np.pad(supps, pad, mode='edge')
        estimator = self.make_estimator()
        flows = [estimator.calc(r, s, None)[:h, :w] for r, s in zip(refs, supps, strict=True)]
        flow = torch.from_numpy(np.stack(flows)).permute(0, 3, 1, 2)
        return flow.to(device=ref.device, dtype=ref.dtype)

    def extra_repr(self) -> str:
        return (f'preset={self.preset!r}, patch_size={self.patch_size}, '
                f'patch_stride={self.patch_stride}, finest_scale={self.finest_scale}')
