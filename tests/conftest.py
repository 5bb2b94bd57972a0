"""Fixtures shared by every test folder: tiny configs on the smallest embedded data, random
checkpoints, and the tools as importable modules."""
from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import os.path as osp
import sys
from collections.abc import Callable
from types import ModuleType

import pytest
import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)

from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import projects  # noqa: E402,F401  (compatibility fixes first, as tools/train.py does)
from projects.common.datasets import EMBEDDED_DATA, MovingDigitsBuilder  # noqa: E402

TINY_VIDEOS = {'train': 24, 'val': 8, 'test': 8}
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def load_tool(relative_path: str) -> ModuleType:
    """A script (e.g. ``projects/NAME/tools/x.py``) as a module of its own, so that tests can
    patch its globals."""
    path = osp.join(REPO_ROOT, relative_path)
    name = osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replace_root(node, old: str, new: str):
    """``node`` with every string equal to ``old`` or under ``old/`` moved under ``new``."""
    if isinstance(node, str):
        return new + node[len(old):] if node == old or node.startswith(old + '/') else node
    if isinstance(node, dict):
        return {k: _replace_root(v, old, new) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return type(node)(_replace_root(v, old, new) for v in node)
    return node


def _shrink_embedded(node, data_dir: str):
    """Points every ``EmbeddedDataset`` under ``node`` at the smallest dataset of its builder.

    The builder's arguments become :meth:`EmbeddedDatasetBuilder.smallest` of the config's;
    the root moves to ``data_dir`` under a name that identifies those arguments, so configs
    that describe the same data share one folder per test session.
    """
    if isinstance(node, (list, tuple)):
        return type(node)(_shrink_embedded(v, data_dir) for v in node)
    if not isinstance(node, dict):
        return node
    if node.get('type') == 'EmbeddedDataset':
        builder = dict(node['builder'])
        old_root = builder.pop('root')
        cls = EMBEDDED_DATA.get(builder['type'])
        if cls is None:
            raise KeyError(f"Embedded builder {builder['type']!r} is not registered: add its "
                           "module to the config's custom_imports.")
        args = cls.smallest({k: v for k, v in builder.items() if k != 'type'})
        key = hashlib.sha1(json.dumps(args, sort_keys=True, default=str).encode()).hexdigest()
        new_root = osp.join(data_dir, f"{builder['type']}-{key[:10]}")
        return dict(node, builder=dict(args, type=builder['type'], root=new_root),
                    dataset=_replace_root(node['dataset'], old_root, new_root))
    return {k: _shrink_embedded(v, data_dir) for k, v in node.items()}


@pytest.fixture(scope='session', autouse=True)
def unformatted_config_dumps():
    """Config dumps without yapf's formatting: valid Python either way, and yapf took over
    half of every Runner's start-up (each Runner dumps and logs its config)."""
    import mmengine.config.config as config_module
    original = config_module.FormatCode
    config_module.FormatCode = lambda text, **kwargs: (text, False)
    yield
    config_module.FormatCode = original


@pytest.fixture(scope='session')
def embedded_data_dir(tmp_path_factory) -> str:
    """One folder per test session for the smallest embedded datasets."""
    return str(tmp_path_factory.mktemp('embedded'))


@pytest.fixture
def tiny_config(embedded_data_dir) -> Callable[..., Config]:
    """``tiny_config(base, work_dir, **overrides) -> Config``.

    Loads ``base`` (a path, absolute or relative to the repository), points its embedded
    datasets at their smallest version in the session's data folder, loads in the main
    process (no workers), sets ``work_dir`` and merges ``overrides`` as ``--cfg-options`` do
    (nested dicts merge key by key). ``cfg.dump(path)`` gives a file for the tools.
    """
    def make(base: str, work_dir, **overrides) -> Config:
        cfg = Config.fromfile(base if osp.isabs(base) else osp.join(REPO_ROOT, base))
        for name in LOADERS:
            loader = cfg.get(name)
            if loader:
                loader.num_workers = 0
                loader.persistent_workers = False
                loader.dataset = _shrink_embedded(loader.dataset.to_dict(), embedded_data_dir)
        cfg.work_dir = str(work_dir)
        cfg.merge_from_dict(copy.deepcopy(overrides))
        return cfg
    return make


def moving_digits_options(root: str) -> dict[str, object]:
    """``--cfg-options`` entries that point the demo config's three dataloaders at the
    moving-digits dataset of :data:`TINY_VIDEOS` videos in ``root``."""
    options = {}
    for split in ('train', 'val', 'test'):
        options[f'{split}_dataloader.dataset.builder.root'] = root
        for part, count in TINY_VIDEOS.items():
            options[f'{split}_dataloader.dataset.builder.videos.{part}'] = count
        options[f'{split}_dataloader.dataset.dataset.ann_file'] = f'{root}/{split}_list.txt'
        options[f'{split}_dataloader.dataset.dataset.data_prefix.video'] = f'{root}/videos'
    return options


def download_overrides(node, prefix: str = '') -> dict:
    """``--cfg-options``-style overrides that set every URL in a config to None.

    Paper configs initialise from released weights (e.g. mmagic's SPyNet) that cannot be
    downloaded here; the architecture is what tests build.
    """
    if isinstance(node, str):
        return {prefix[:-1]: None} if node.startswith(('http://', 'https://')) else {}
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, (list, tuple)) else ()
    found = {}
    for key, value in items:
        found.update(download_overrides(value, f'{prefix}{key}.'))
    return found


def random_checkpoint(cfg: Config, path: str, seed: int = 0) -> str:
    """Saves the randomly initialised model of ``cfg`` as an mmengine checkpoint at ``path``."""
    from mmengine.registry import MODELS
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return path


@pytest.fixture(scope='session')
def moving_digits_root(tmp_path_factory) -> str:
    """A small moving-digits dataset (24/8/8 videos) in a session temporary folder."""
    root = str(tmp_path_factory.mktemp('embedded') / 'moving_digits')
    return MovingDigitsBuilder(root=root, videos=TINY_VIDEOS).build()


def check_scope_switch(scope: str, registry: ModuleType) -> None:
    """An own-scope project's registry module is importable as ``SCOPE.registry`` and
    mmengine's scope switch enters it without a warning (it imports that module)."""
    import importlib
    import logging

    from mmengine.logging import MMLogger
    from mmengine.registry import MODELS, DefaultScope

    assert importlib.import_module(f'{scope}.registry') is registry
    logger = MMLogger.get_current_instance()
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        with MODELS.switch_scope_and_registry(scope) as found:
            assert found is registry.MODELS
            assert DefaultScope.get_current_instance().scope_name == scope
    finally:
        logger.removeHandler(handler)
    assert not [r for r in records if r.levelno >= logging.WARNING], \
        [r.getMessage() for r in records]
