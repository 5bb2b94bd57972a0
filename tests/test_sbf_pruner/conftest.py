"""Small models and inputs shared by the SbF-Pruner tests."""
from __future__ import annotations

import pytest
import torch
from mmengine.registry import init_default_scope

import projects.sbf_pruner  # noqa: F401  (registers the modules)
from projects.sbf_pruner.models import SbFPruner

CIFAR_GROUPS = [
    r'backbone\.(conv1|layer1\.\d+\.conv2)',
    r'backbone\.layer2\.(0\.downsample\.0|\d+\.conv2)',
    r'backbone\.layer3\.(0\.downsample\.0|\d+\.conv2)',
]


def classifier_cfg(backbone: dict, in_channels: int = 64, num_classes: int = 10) -> dict:
    return dict(
        type='ImageClassifier',
        backbone=backbone,
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=num_classes, in_channels=in_channels,
                  loss=dict(type='CrossEntropyLoss')))


def build_pruner(**kwargs) -> SbFPruner:
    """An SbF-Pruner around the CIFAR ResNet-20, every convolution scored."""
    init_default_scope('mmpretrain')
    args = dict(model=classifier_cfg(dict(type='SlimResNet', arch='cifar20')),
                include=[r'backbone\..*conv.*', r'backbone\..*downsample\.0'],
                groups=CIFAR_GROUPS)
    args.update(kwargs)
    torch.manual_seed(0)
    return SbFPruner(**args)


def randomise(model: torch.nn.Module) -> None:
    """Random norm statistics and affine parameters, so that every channel matters."""
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)


def spread_scores(pruner: SbFPruner) -> None:
    """Large AN output weights: scores spread over (0, 1], so the budget prunes a real mix."""
    for an in pruner.attention_networks.values():
        torch.nn.init.normal_(an.score.weight, std=3.0)


@pytest.fixture
def pruner() -> SbFPruner:
    return build_pruner()


@pytest.fixture
def images() -> torch.Tensor:
    return torch.randn(2, 3, 16, 16, generator=torch.Generator().manual_seed(1))
