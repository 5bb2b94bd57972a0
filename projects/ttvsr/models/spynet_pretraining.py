"""SPyNet pre-training on frame pairs with known flow (stand-in for the released SPyNet).

TTVSR initialises its flow network from ``spynet_20210409-c6c1bd09.pth`` (``spynet_pretrained``
in the official configs ``configs/TTVSR_reds4.py`` and ``TTVSR_vimeo90k.py``), trained
on optical-flow datasets that cannot be downloaded here. :class:`SPyNetPretraining` trains
mmagic's own ``SPyNet`` on the embedded clips, whose true flow is known from the camera
(:class:`~projects.ttvsr.datasets.FlowPairDataset`), with the average end-point error (EPE) as
the loss.

The SPyNet sits at ``generator.spynet``, where every BasicVSR-family editor (mmagic's
``BasicVSR``, ``TTVSR``) keeps its own, so a checkpoint of this model initialises such an
editor directly: ``init_cfg=dict(type='Pretrained', checkpoint=...)`` on the editor loads the
SPyNet and leaves the rest as initialised (the tiny configs do this; the file is read only when
training starts). ``projects/ttvsr/tools/extract_spynet.py`` writes the plain SPyNet
state dict that ``spynet_pretrained=`` of ``TTVSRNet`` and ``BasicVSRNet`` loads.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
from mmagic.evaluation.metrics.base_sample_wise_metric import BaseSampleWiseMetric
from mmagic.models.editors.basicvsr.basicvsr_net import SPyNet
from mmagic.models.utils import flow_warp
from mmagic.registry import METRICS, MODELS
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement
from torch import nn
from torch.nn import functional


def end_point_error(flow: torch.Tensor, gt_flow: torch.Tensor,
                    valid: torch.Tensor) -> torch.Tensor:
    """Mean Euclidean distance between two flows over the valid pixels, per sample.

    Args:
        flow (torch.Tensor): (n, 2, h, w) estimated flow.
        gt_flow (torch.Tensor): (n, 2, h, w) true flow.
        valid (torch.Tensor): (n, h, w) bool mask of the pixels that count.

    Returns:
        torch.Tensor: (n,) EPE in pixels.
    """
    distance = torch.linalg.vector_norm(flow - gt_flow, dim=1)
    valid = valid.to(distance.dtype)
    return (distance * valid).flatten(1).sum(1) / valid.flatten(1).sum(1).clamp(min=1)


@MODELS.register_module()
class SPyNetPretraining(BaseModel):
    """Trains mmagic's ``SPyNet`` with the EPE loss on frame pairs with true flow.

    The flow convention is BasicVSR's: ``spynet(ref, supp)`` is the (dx, dy) flow in pixels
    with ``flow_warp(supp, flow.permute(0, 2, 3, 1)) ~= ref``.

    As in SPyNet's own training, every pyramid level is supervised (``multilevel_loss``):
    level k's flow against the true flow average-pooled to its size and scaled to its pixels.
    Trained end to end on the final flow alone, a SPyNet from scratch on small frames settles
    on predicting no motion; the per-level targets give each level's module its own signal.

    Args:
        pretrained (str, optional): SPyNet state dict to start from. Defaults to None
            (random initialisation).
        zero_flow_init (bool): When training from scratch, zero the last convolution of
            every pyramid level, so that the network starts by predicting no motion instead
            of the large random flows of a random init. Defaults to True.
        multilevel_loss (bool): Supervise the flow of every pyramid level (averaged over
            the 6 levels) rather than the final flow alone. Defaults to True.
        data_preprocessor (dict, optional): Defaults to mmengine's
            ``BaseDataPreprocessor`` (the pack transform already scales to [0, 1]).
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 pretrained: str | None = None,
                 zero_flow_init: bool = True,
                 multilevel_loss: bool = True,
                 data_preprocessor: dict | None = None,
                 init_cfg: dict | None = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor or dict(type='BaseDataPreprocessor'),
            init_cfg=init_cfg)
        # The editors' layout (see the module docstring): generator.spynet.
        self.generator = nn.ModuleDict(dict(spynet=SPyNet(pretrained=pretrained)))
        self.zero_flow_init = zero_flow_init and pretrained is None
        self.multilevel_loss = multilevel_loss

    def init_weights(self) -> None:
        """Zeroes each level's flow-residual output when ``zero_flow_init`` is set."""
        super().init_weights()
        if self.zero_flow_init:
            for level in self.spynet.basic_module:
                nn.init.zeros_(level.basic_module[-1].conv.weight)
                nn.init.zeros_(level.basic_module[-1].conv.bias)

    @property
    def spynet(self) -> SPyNet:
        """The SPyNet being trained."""
        return self.generator['spynet']

    def forward(self,
                inputs: torch.Tensor | Sequence[torch.Tensor],
                data_samples: Sequence[BaseDataElement] | None = None,
                mode: str = 'tensor'):
        """Estimates the flow of each (reference, supporting) pair.

        Args:
            inputs (torch.Tensor | Sequence[torch.Tensor]): (n, 2, 3, h, w) frame pairs in
                [0, 1] (or a list of (2, 3, h, w) tensors, as the default collate gives).
            data_samples (Sequence[BaseDataElement], optional): With ``gt_flow`` and
                ``flow_valid``; needed for ``'loss'`` and ``'predict'``.
            mode (str): ``'tensor'`` (flow), ``'loss'`` (dict with ``loss_epe``) or
                ``'predict'`` (samples with ``pred_flow`` and ``epe``).
        """
        if not isinstance(inputs, torch.Tensor):
            inputs = torch.stack(list(inputs))
        if inputs.ndim != 5 or inputs.shape[1] != 2:
            raise ValueError('SPyNetPretraining expects (n, 2, 3, h, w) frame pairs, got '
                             f'{tuple(inputs.shape)}.')
        if mode == 'loss':
            gt_flow, valid = self.targets(data_samples, inputs)
            if not self.multilevel_loss:
                flow = self.spynet(inputs[:, 0], inputs[:, 1])
                return dict(loss_epe=end_point_error(flow, gt_flow, valid).mean())
            ref, supp, gt_flow, valid = self.to_multiple_of_32(inputs, gt_flow, valid)
            losses = []
            for flow in self.pyramid_flows(ref, supp):
                factor = gt_flow.shape[-1] // flow.shape[-1]
                level_gt = functional.avg_pool2d(gt_flow, factor) / factor
                level_valid = functional.avg_pool2d(valid[:, None].float(), factor)[:, 0] > 0.999
                losses.append(end_point_error(flow, level_gt, level_valid).mean())
            return dict(loss_epe=sum(losses) / len(losses))
        flow = self.spynet(inputs[:, 0], inputs[:, 1])
        if mode == 'tensor':
            return flow
        if mode == 'predict':
            gt_flow, valid = self.targets(data_samples, inputs)
            epe = end_point_error(flow, gt_flow, valid)
            zero = end_point_error(torch.zeros_like(gt_flow), gt_flow, valid)
            for sample, f, e, z in zip(data_samples, flow, epe, zero, strict=True):
                sample.pred_flow = f.detach()
                sample.epe = e.detach()
                sample.zero_flow_epe = z
            return list(data_samples)
        raise ValueError(f"mode must be 'tensor', 'loss' or 'predict', got {mode!r}.")

    @staticmethod
    def targets(data_samples: Sequence[BaseDataElement],
                inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Stacked true flows (n, 2, h, w) and valid masks (n, h, w) of the samples."""
        gt_flow = torch.stack([s.gt_flow for s in data_samples]).to(inputs)
        valid = torch.stack([s.flow_valid for s in data_samples]).to(inputs.device)
        return gt_flow, valid

    @staticmethod
    def to_multiple_of_32(inputs: torch.Tensor, gt_flow: torch.Tensor, valid: torch.Tensor):
        """Frames, true flow and mask resized as ``SPyNet.forward`` resizes its input.

        SPyNet runs on frames whose sides are multiples of 32 (bilinear resize up); the true
        flow is resized and rescaled to that grid so that every level has a target.

        Returns:
            tuple: reference and supporting frames, flow (n, 2, H, W), mask (n, H, W).
        """
        h, w = inputs.shape[-2:]
        size = (-(-h // 32) * 32, -(-w // 32) * 32)
        ref, supp = inputs[:, 0], inputs[:, 1]
        if size == (h, w):
            return ref, supp, gt_flow, valid

        def resize(x: torch.Tensor) -> torch.Tensor:
            return functional.interpolate(x, size=size, mode='bilinear', align_corners=False)

        scale = gt_flow.new_tensor([size[1] / w, size[0] / h]).view(1, 2, 1, 1)
        valid = functional.interpolate(valid[:, None].float(), size=size, mode='nearest')
        return resize(ref), resize(supp), resize(gt_flow) * scale, valid[:, 0] > 0.5

    def pyramid_flows(self, ref: torch.Tensor, supp: torch.Tensor) -> list[torch.Tensor]:
        """The flow of every level of the SPyNet pyramid, coarse to fine.

        The same recursion as ``SPyNet.compute_flow`` (mmagic), keeping each level's output:
        level k refines the upsampled flow of level k - 1 from the reference and the
        supporting frame warped by it. The last entry is ``spynet(ref, supp)``.

        Raises:
            ValueError: If h or w is not a multiple of 32 (see :meth:`to_multiple_of_32`).
        """
        h, w = ref.shape[-2:]
        if h % 32 or w % 32:
            raise ValueError(f'pyramid_flows needs frames whose sides are multiples of 32, '
                             f'got {h}x{w}; resize them with to_multiple_of_32 first.')
        spynet = self.spynet
        refs = [(ref - spynet.mean) / spynet.std]
        supps = [(supp - spynet.mean) / spynet.std]
        for _ in range(len(spynet.basic_module) - 1):
            refs.append(functional.avg_pool2d(refs[-1], 2, 2, count_include_pad=False))
            supps.append(functional.avg_pool2d(supps[-1], 2, 2, count_include_pad=False))
        refs, supps = refs[::-1], supps[::-1]
        flow = refs[0].new_zeros(ref.shape[0], 2, *refs[0].shape[-2:])
        flows = []
        for level, module in enumerate(spynet.basic_module):
            if level:
                flow = functional.interpolate(flow, scale_factor=2, mode='bilinear',
                                     align_corners=True) * 2.0
            warped = flow_warp(supps[level], flow.permute(0, 2, 3, 1), padding_mode='border')
            flow = flow + module(torch.cat([refs[level], warped, flow], 1))
            flows.append(flow)
        return flows


@METRICS.register_module()
class FlowEPE(BaseSampleWiseMetric):
    """Average end-point error of the predicted flows, and of zero flow for reference.

    Reports ``EPE`` and ``zero_flow_EPE`` (what a network that predicts no motion scores).
    A sample-wise metric of mmagic's, so that its ``MultiValLoop``/``MultiTestLoop`` run it.
    """

    metric = 'EPE'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        # The evaluator hands the predicted samples over as dicts.
        for sample in data_samples:
            self.results.append((float(sample['epe']), float(sample['zero_flow_epe'])))

    def compute_metrics(self, results: list) -> dict:
        epe, zero = zip(*results, strict=True)
        return dict(EPE=sum(epe) / len(epe), zero_flow_EPE=sum(zero) / len(zero))
