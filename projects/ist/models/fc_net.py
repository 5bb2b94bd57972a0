"""The fully connected networks of IST's speech experiments (Yuan et al., PVLDB 2022).

Layout of the official ``DNNGoogleSpeechBatchNorm2Layer`` / ``...3Layer``
(IST_Release, ``distributed_{2,3}layer_subnet_*_gloo.py``): per hidden layer a bias-free
``Linear``, a ``BatchNorm1d`` with ``track_running_stats=False`` and ReLU; a bias-free output
``Linear``, an affine-free ``BatchNorm1d`` over the logits and ``log_softmax``. Normalising
with batch statistics also at evaluation is what lets the full network (n times wider than
each trained subnet) be evaluated without rescaling: the affine-free BN on the logits absorbs
the larger logit scale.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement
from torch import nn

from ..registry import MODELS


@MODELS.register_module()
class ISTFCNet(BaseModel):
    """A fully connected classifier whose hidden layers IST partitions.

    Args:
        in_channels (int): Input feature dimension (4096 log-mel values in the paper).
        hidden_channels (list[int]): Width of each hidden layer. Defaults to ``(4096, 4096)``.
        num_classes (int): Number of classes (35 speech commands). Defaults to 35.
        data_preprocessor (dict | None): mmengine data preprocessor. Defaults to None.
        init_cfg (dict | None): Initialisation config. Defaults to None (PyTorch's default
            ``Linear`` initialisation, as the official code).
    """

    def __init__(self,
                 in_channels: int,
                 hidden_channels: tuple[int, ...] | list[int] = (4096, 4096),
                 num_classes: int = 35,
                 data_preprocessor: dict | None = None,
                 init_cfg: dict | None = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if not hidden_channels:
            raise ValueError('ISTFCNet: model.hidden_channels must name at least one layer.')
        self.in_channels = in_channels
        self.hidden_channels = list(hidden_channels)
        self.num_classes = num_classes
        widths = [in_channels, *self.hidden_channels]
        self.fcs = nn.ModuleList(
            nn.Linear(a, b, bias=False) for a, b in zip(widths[:-1], widths[1:], strict=False))
        self.bns = nn.ModuleList(
            nn.BatchNorm1d(w, momentum=1.0, track_running_stats=False)
            for w in self.hidden_channels)
        self.fc_out = nn.Linear(widths[-1], num_classes, bias=False)
        self.bn_out = nn.BatchNorm1d(num_classes, momentum=1.0, affine=False,
                                     track_running_stats=False)

    def hidden_axes(self) -> dict[str, list[tuple[int, int]]]:
        """For every parameter, the (dim, hidden layer) pairs whose neurons IST partitions.

        The last pair is the axis along which the sharded parameter server splits ownership
        (IST_Release ``distributed_3layer_subnet_partitioned_ps_gloo.py``: ``fc1`` rows and
        ``bn1`` by hidden-1 shard, ``fc2`` and ``fc3`` by the columns of the previous layer's
        shard). The input and output dimensions are never partitioned.
        """
        axes = {'fcs.0.weight': [(0, 0)]}
        for layer in range(len(self.hidden_channels)):
            if layer:
                axes[f'fcs.{layer}.weight'] = [(0, layer), (1, layer - 1)]
            axes[f'bns.{layer}.weight'] = [(0, layer)]
            axes[f'bns.{layer}.bias'] = [(0, layer)]
        axes['fc_out.weight'] = [(1, len(self.hidden_channels) - 1)]
        return axes

    def narrow(self, num_subnets: int) -> ISTFCNet:
        """A model of the same depth with every hidden layer ``num_subnets`` times narrower
        (the shape of one IST subnet); it shares this model's data preprocessor."""
        for layer, width in enumerate(self.hidden_channels):
            if width % num_subnets:
                raise ValueError(
                    f'model.hidden_channels[{layer}] = {width} is not divisible by the '
                    f'{num_subnets} workers: IST splits every hidden layer into equal groups.')
        subnet = ISTFCNet(self.in_channels, [w // num_subnets for w in self.hidden_channels],
                          self.num_classes)
        subnet.data_preprocessor = self.data_preprocessor
        return subnet

    def forward(self,
                inputs: torch.Tensor | list[torch.Tensor],
                data_samples: list[BaseDataElement] | None = None,
                mode: str = 'tensor'):
        """Log-probabilities (``tensor``), the NLL loss (``loss``) or data samples with
        ``pred_score`` (probabilities) and ``pred_label`` (``predict``)."""
        x = torch.stack(inputs) if isinstance(inputs, (list, tuple)) else inputs
        for fc, bn in zip(self.fcs, self.bns, strict=False):
            x = F.relu(bn(fc(x.flatten(1))))
        log_probs = F.log_softmax(self.bn_out(self.fc_out(x)), dim=1)
        if mode == 'tensor':
            return log_probs
        if mode == 'loss':
            labels = torch.stack([s.gt_label for s in data_samples]).to(log_probs.device)
            return dict(loss=F.nll_loss(log_probs, labels.view(-1)))
        if mode == 'predict':
            for sample, lp in zip(data_samples, log_probs, strict=False):
                sample.pred_score = lp.exp()
                sample.pred_label = lp.argmax().view_as(sample.gt_label)
            return data_samples
        raise ValueError(f'ISTFCNet.forward: unknown mode {mode!r} '
                         "(expected 'tensor', 'loss' or 'predict').")
