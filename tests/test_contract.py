"""The contract every MMPlug model and config keeps, in the spirit of timm's model tests.

Every model class that a project registers must be the ``model.type`` of at least one tiny
config of its project (``projects/NAME/configs/**/*tiny*.py``). Each tiny config, the demo and
the mixes is built with a real Runner on the smallest version of its own embedded data, and one
batch goes through it: the loss is finite, every trainable parameter receives a gradient,
predictions come one per sample with the shapes the config implies (class scores of
``num_classes``, each ``pred_X`` shaped as its ``gt_X``), and are deterministic in eval mode.
Every other project config (the paper configs) builds its paper-size model. A new project
joins by registering its model and adding configs; nothing here changes.
"""
from __future__ import annotations

import glob
import importlib
import os.path as osp
import pkgutil

import pytest
import torch
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner
from mmengine.structures import BaseDataElement

import projects
from tests.conftest import REPO_ROOT, download_overrides

DEMO_CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs/demo/*.py'))
                      + glob.glob(osp.join(REPO_ROOT, 'configs/mixes/*.py')))
PROJECT_CONFIGS = sorted(p for p in glob.glob(osp.join(REPO_ROOT, 'projects/*/configs/*.py')))
TINY_CONFIGS = [p for p in PROJECT_CONFIGS if 'tiny' in osp.basename(p)]
PAPER_CONFIGS = [p for p in PROJECT_CONFIGS if 'tiny' not in osp.basename(p)]


def config_id(path: str) -> str:
    return osp.relpath(path, REPO_ROOT)


def registered_models() -> dict[str, type]:
    """Every BaseModel subclass that code under projects/ registers, in any registry that is
    a descendant of mmengine's root MODELS ({'scope.Name': class})."""
    for info in pkgutil.iter_modules(projects.__path__):
        importlib.import_module(f'projects.{info.name}')
    found, stack = {}, [MODELS]
    while stack:
        registry = stack.pop()
        stack.extend(registry.children.values())
        for name, cls in registry.module_dict.items():
            if (isinstance(cls, type) and issubclass(cls, BaseModel)
                    and cls.__module__.startswith('projects.')):
                found[f'{registry.scope}.{name}'] = cls
    return found


def test_every_registered_model_has_a_tiny_config():
    used = {Config.fromfile(path).model.type for path in TINY_CONFIGS}
    models = registered_models()
    assert models, 'no project model found in any registry'
    missing = [key for key in models if key.split('.', 1)[1] not in used]
    assert not missing, f'registered models without a tiny config: {missing}'


def tensors(obj) -> list[torch.Tensor]:
    """All tensors inside model outputs (data samples, dicts, lists), in a fixed order."""
    if isinstance(obj, torch.Tensor):
        return [obj]
    if isinstance(obj, BaseDataElement):
        return [t for key in sorted(obj.all_keys()) for t in tensors(obj.get(key))]
    if isinstance(obj, dict):
        return [t for key in sorted(obj) for t in tensors(obj[key])]
    if isinstance(obj, (list, tuple)):
        return [t for item in obj for t in tensors(item)]
    return []


def find_key(node, key: str):
    """The first value of ``key`` in a nested config dict (depth first), or None."""
    if isinstance(node, dict):
        if key in node:
            return node[key]
        for value in node.values():
            found = find_key(value, key)
            if found is not None:
                return found
    return None


def check_shapes(cfg: Config, sample: BaseDataElement) -> int:
    """Asserts the shapes the config implies on one predicted sample; returns the count.

    Predictions are ``pred_X`` fields of the sample or of its ``output`` (mmagic's editors).
    """
    fields = {k: sample.get(k) for k in sample.all_keys()}
    if isinstance(fields.get('output'), BaseDataElement):
        fields.update({k: fields['output'].get(k) for k in fields['output'].all_keys()})
    checked = 0
    if 'pred_score' in fields:
        num_classes = find_key(cfg.model, 'num_classes')
        assert fields['pred_score'].shape[-1] == num_classes, (
            f"pred_score {tuple(fields['pred_score'].shape)} vs num_classes={num_classes}")
        checked += 1
    for key in sorted(k for k in fields if k.startswith('pred_') and k != 'pred_score'):
        gt = fields.get(f'gt_{key[5:]}')
        if isinstance(gt, torch.Tensor):
            assert fields[key].shape == gt.shape, (
                f'{key} {tuple(fields[key].shape)} vs gt_{key[5:]} {tuple(gt.shape)}')
            checked += 1
    return checked


@pytest.mark.parametrize('config', DEMO_CONFIGS + TINY_CONFIGS, ids=config_id)
def test_model_contract(config, tmp_path, tiny_config):
    cfg = tiny_config(config, tmp_path, train_dataloader=dict(batch_size=2))
    runner = Runner.from_cfg(cfg)
    model = runner.model
    batch = next(iter(runner.build_dataloader(cfg.train_dataloader)))

    model.train()
    data = model.data_preprocessor(batch, True)
    loss, _ = model.parse_losses(model(**data, mode='loss'))
    assert torch.isfinite(loss), f'loss is {loss}'
    loss.backward()
    no_grad = [name for name, p in model.named_parameters()
               if p.requires_grad and (p.grad is None or not torch.isfinite(p.grad).all())]
    assert not no_grad, f'parameters without a finite gradient: {no_grad}'

    model.eval()
    with torch.no_grad():
        first, second = model.test_step(batch), model.test_step(batch)
    assert len(first) == len(batch['data_samples']) == 2
    assert sum(check_shapes(cfg, sample) for sample in first) >= len(first), \
        'no output whose shape the config determines'
    values = tensors(first)
    assert values and all(torch.isfinite(v.float()).all() for v in values)
    for a, b in zip(values, tensors(second), strict=True):
        torch.testing.assert_close(a, b)


@pytest.mark.parametrize('config', PAPER_CONFIGS, ids=config_id)
def test_paper_config_builds_its_model(config):
    """The paper-size model builds in the config's scope (per-project tests check its size)."""
    cfg = Config.fromfile(config)
    assert 'EmbeddedDataset' not in str(cfg.get('train_dataloader')), \
        'a paper config trains on embedded data: name it *tiny*'
    cfg.merge_from_dict(download_overrides(cfg.to_dict()))
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    assert isinstance(model, BaseModel)
    # The smallest paper model is the CIFAR ResNet-56 (0.85 M); every tiny one is far smaller.
    assert sum(p.numel() for p in model.parameters()) > 800_000, 'not a paper-size model'
