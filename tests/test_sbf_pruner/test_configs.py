"""Every config loads; the paper configs build their models at paper size."""
from __future__ import annotations

import glob
import importlib
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS

from tests.conftest import REPO_ROOT

CONFIG_DIR = osp.join(REPO_ROOT, 'projects/sbf_pruner/configs')
CONFIGS = sorted(glob.glob(osp.join(CONFIG_DIR, '*.py')))


def dense_params(pruner) -> int:
    return sum(p.numel() for p in pruner.model.parameters())


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_loads(path):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports.imports[0] == 'projects.sbf_pruner'
    for module in cfg.custom_imports.imports:
        importlib.import_module(module)
    assert cfg.model.type in ('SbFPruner', 'ImageClassifier')


@pytest.mark.parametrize('name, params, stage_blocks, size', [
    # He et al.'s ResNet-56/110 with 1x1 projection shortcuts (0.85 M / 1.73 M with option A).
    ('sbf-pruner_resnet56_1xb128-200e_cifar10.py', (0.85e6, 0.87e6), (9, 9, 9), 32),
    ('sbf-pruner_resnet110_1xb128-200e_cifar10.py', (1.72e6, 1.74e6), (18, 18, 18), 32),
    ('sbf-pruner_resnet50_8xb32-100e_in1k.py', (25.55e6, 25.56e6), (3, 4, 6, 3), 64),
])
def test_paper_configs_build_the_paper_models(name, params, stage_blocks, size):
    cfg = Config.fromfile(osp.join(CONFIG_DIR, name))
    init_default_scope('mmpretrain')
    torch.manual_seed(0)
    pruner = MODELS.build(cfg.model)
    backbone = pruner.model.backbone
    assert tuple(len(getattr(backbone, n)) for n in backbone.res_layers) == stage_blocks
    assert params[0] <= dense_params(pruner) <= params[1]
    # The budget is the fraction of the network's parameters the extracted model keeps (the
    # paper's 52.3 / 54 / 51.1 % removed): with spread scores, the keep mask of the
    # paper-size model lands within 2 % below it.
    for an in pruner.attention_networks.values():
        torch.nn.init.normal_(an.score.weight, std=3.0)
    pruner.trace(torch.zeros(1, 3, size, size))
    with torch.no_grad():
        keep = pruner.keep_masks(pruner.scores())
    budget = cfg.model.param_budget
    assert budget - 0.02 < float(pruner.kept_fraction(keep)) <= budget
    # Every convolution of the backbone is scored; the residual streams are groups.
    convs = [n for n, m in pruner.model.named_modules() if isinstance(m, torch.nn.Conv2d)]
    assert sorted(sum(pruner.groups.values(), [])) == sorted(convs)
    assert sum(len(g) > 1 for g in pruner.groups.values()) == len(stage_blocks)
    pruner.eval()
    with torch.no_grad():
        logits = pruner(torch.randn(1, 3, size, size))
    assert logits.shape == (1, cfg.model.model.head.num_classes)
