"""The contract every MMPlug model keeps, in the spirit of timm's model tests.

Every model class that a project registers (in mmaction2's, mmagic's, mmpretrain's, mmdet's or
the ``mmplug`` registry) must be the ``model.type`` of at least one tiny config of its project
(``projects/NAME/configs/**/*tiny*.py``). Each tiny config, and the demo config, is built with
a real Runner and one batch of its own embedded data goes through it: the loss is finite,
every trainable parameter receives a gradient, predictions come one per sample and are
deterministic in eval mode. A new project joins by registering its model and adding a tiny
config; nothing here changes.
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
from mmengine.runner import Runner
from mmengine.structures import BaseDataElement

import projects
from tests.conftest import REPO_ROOT

DEMO_CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs/demo/*.py'))
                      + glob.glob(osp.join(REPO_ROOT, 'configs/mixes/*.py')))
TINY_CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'projects/*/configs/**/*tiny*.py'),
                                recursive=True))


def host_model_registries() -> list:
    """The MODELS registries that MMPlug projects register into."""
    from mmaction.registry import MODELS as MMACTION
    from mmagic.registry import MODELS as MMAGIC
    from mmdet.registry import MODELS as MMDET
    from mmpretrain.registry import MODELS as MMPRETRAIN

    from projects.common.registry import MODELS as MMPLUG
    return [MMACTION, MMAGIC, MMDET, MMPRETRAIN, MMPLUG]


def registered_models() -> dict[str, type]:
    """Every BaseModel subclass registered by code under projects/ ({name: class})."""
    for info in pkgutil.iter_modules(projects.__path__):
        importlib.import_module(f'projects.{info.name}')
    found = {}
    for registry in host_model_registries():
        for name, cls in registry.module_dict.items():
            if (isinstance(cls, type) and issubclass(cls, BaseModel)
                    and cls.__module__.startswith('projects.')):
                found[f'{registry.scope}.{name}'] = cls
    return found


def test_every_registered_model_has_a_tiny_config():
    used = {Config.fromfile(path).model.type for path in TINY_CONFIGS}
    missing = [key for key in registered_models() if key.split('.', 1)[1] not in used]
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


@pytest.mark.parametrize('config', DEMO_CONFIGS + TINY_CONFIGS,
                         ids=lambda p: osp.relpath(p, REPO_ROOT))
def test_model_contract(config, tmp_path):
    cfg = Config.fromfile(config)
    cfg.work_dir = str(tmp_path)
    cfg.train_dataloader.batch_size = 2
    cfg.train_dataloader.num_workers = 0
    cfg.train_dataloader.persistent_workers = False
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
    assert len(first) == len(batch['data_samples'])
    values = tensors(first)
    assert values and all(torch.isfinite(v.float()).all() for v in values)
    for a, b in zip(values, tensors(second), strict=False):
        torch.testing.assert_close(a, b)
