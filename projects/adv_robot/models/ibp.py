"""Interval bound propagation (Gowal et al., 2018, Sec. 3 and Eq. 6).

An axis-aligned box [lower, upper] of inputs is pushed through the network layer by layer:
an affine layer maps the box centre through itself and the radius through its absolute
weights; a monotone elementwise or positively weighted linear layer (ReLU, average pooling,
flattening) maps both ends. The result contains the output of every input in the box.
"""
from __future__ import annotations

from torch import Tensor, nn
from torch.nn import functional as F  # noqa: N812

# Layers that map [l, u] to [f(l), f(u)]: monotone increasing elementwise, or linear with
# non-negative weights.
MONOTONE = (nn.ReLU, nn.Flatten, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.MaxPool2d,
            nn.Identity, nn.Dropout)
# Heads whose output is their `fc` applied to the last feature map.
LINEAR_HEADS = ('LinearClsHead', 'RegressionHead')


def _affine(layer: nn.Linear | nn.Conv2d, lower: Tensor, upper: Tensor) -> tuple[Tensor, Tensor]:
    centre, radius = (upper + lower) / 2, (upper - lower) / 2
    centre = layer(centre)
    if isinstance(layer, nn.Linear):
        radius = F.linear(radius, layer.weight.abs())
    else:
        radius = F.conv2d(radius, layer.weight.abs(), None, layer.stride, layer.padding,
                          layer.dilation, layer.groups)
    return centre - radius, centre + radius


def interval_layers(model: nn.Module) -> list[nn.Module]:
    """The layers of ``model`` in order, for bound propagation.

    Accepts an ``nn.Sequential``, or an mmpretrain ``ImageClassifier`` whose backbone has a
    ``layers`` sequence (e.g. :class:`ConvNet`), whose neck is absent or global average
    pooling, and whose head has a linear ``fc``.

    Raises:
        TypeError: If the model or one of its layers is not supported, naming it.
    """
    if isinstance(model, nn.Sequential):
        layers = list(model)
    elif hasattr(model, 'backbone') and hasattr(model, 'head'):
        backbone = getattr(model.backbone, 'layers', None)
        if not isinstance(backbone, nn.Sequential):
            raise TypeError(f'IBP needs a backbone with a `layers` nn.Sequential (e.g. ConvNet); '
                            f'got {type(model.backbone).__name__}.')
        layers = list(backbone)
        neck = getattr(model, 'neck', None)
        if neck is not None:
            if type(neck).__name__ != 'GlobalAveragePooling':
                raise TypeError(f'IBP supports no neck or GlobalAveragePooling; got '
                                f'{type(neck).__name__}.')
            layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        fc = getattr(model.head, 'fc', None)
        if not isinstance(fc, nn.Linear) or type(model.head).__name__ not in LINEAR_HEADS:
            raise TypeError(f'IBP needs a linear head (LinearClsHead or RegressionHead); got '
                            f'{type(model.head).__name__}.')
        layers.append(fc)
    else:
        raise TypeError(f'IBP cannot bound a {type(model).__name__}: give an nn.Sequential or '
                        'an ImageClassifier over a ConvNet-like backbone.')
    for layer in layers:
        if not isinstance(layer, (nn.Linear, nn.Conv2d) + MONOTONE):
            raise TypeError(f'IBP does not support layer {layer!r}: use convolutions, linear '
                            'layers, ReLU and pooling only.')
    return layers


def interval_bounds(model: nn.Module, lower: Tensor, upper: Tensor) -> tuple[Tensor, Tensor]:
    """Lower and upper bounds of the outputs of ``model`` over the box [lower, upper]."""
    for layer in interval_layers(model):
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            lower, upper = _affine(layer, lower, upper)
        else:
            lower, upper = layer(lower), layer(upper)
    return lower, upper
