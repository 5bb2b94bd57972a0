"""Command-line and config handling shared by ``tools/train.py`` and ``tools/test.py``.

mmengine accepts a misspelt key silently: ``--cfg-options train_cfg.max_epoch=3`` adds a key
that nothing reads, and a top-level ``trian_dataloader`` is ignored by the runner. These checks
turn both into errors that name the key and suggest the closest existing one.
"""
from __future__ import annotations

import argparse
import difflib
import inspect
import os
import os.path as osp
from typing import Any

from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

# Paths inside configs (data/, work_dirs/) are relative to the repository root.
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# Top-level keys that Runner.from_cfg reads besides Runner.__init__'s arguments.
_RUNNER_EXTRA_KEYS = ('model_wrapper_cfg', 'compile', 'runner_type', 'custom_imports')


def _suggest(key: str, candidates) -> str:
    close = difflib.get_close_matches(key, [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ''


def load_config(path: str) -> Config:
    """Loads a config file, with an error that names a missing file."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'Config file not found: {path!r}.')
    return Config.fromfile(path)


def check_cfg_options(cfg: Config, options: dict[str, Any]) -> None:
    """Checks that every ``--cfg-options`` key addresses something that exists.

    A key may add a new entry only to a dict that has a ``type`` (the new entry is then an
    argument of that class, which the registry checks when it builds it); everywhere else each
    part of the dotted key must exist.

    Raises:
        KeyError: Naming the first part of a key that matches nothing, with a suggestion.
    """
    tree = cfg.to_dict()
    for key in options:
        node: Any = tree
        parts = key.split('.')
        for depth, part in enumerate(parts):
            where = '.'.join(parts[:depth]) or 'the config'
            if isinstance(node, (list, tuple)):
                if not part.isdigit() or int(part) >= len(node):
                    raise KeyError(f"--cfg-options key '{key}': '{where}' is a list of "
                                   f'{len(node)} items, and {part!r} is not an index of it.')
                node = node[int(part)]
            elif isinstance(node, dict):
                if part in node:
                    node = node[part]
                elif depth == len(parts) - 1 and 'type' in node:
                    break
                else:
                    raise KeyError(f"--cfg-options key '{key}': '{where}' has no key "
                                   f"'{part}'.{_suggest(part, node.keys())}")
            else:
                raise KeyError(f"--cfg-options key '{key}': '{where}' is a "
                               f'{type(node).__name__}, not a dict or list.')


def check_top_level_keys(cfg: Config) -> None:
    """Refuses top-level keys that look like a misspelt runner argument.

    Configs hold helper variables (``data_root``, ``train_pipeline``, ...) at the top level
    too, so only near-misses of the runner's own keys are refused.

    Raises:
        KeyError: Naming the key and the runner argument it resembles.
    """
    known = set(inspect.signature(Runner.__init__).parameters) - {'self'}
    known.update(_RUNNER_EXTRA_KEYS)
    for key in cfg.keys():
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.85)
        if close:
            raise KeyError(f"Config key '{key}' is not read by the runner. Did you mean "
                           f"'{close[0]}'?")


def _dicts(node: Any, key: str):
    """Yields (dotted key, dict) for every dict inside a nested config, depth first."""
    if isinstance(node, dict):
        yield key, node
        for name, value in node.items():
            yield from _dicts(value, f'{key}.{name}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _dicts(value, f'{key}.{i}')


def _init_checkpoints(node: Any, key: str):
    """Yields (dotted key, path) of every local checkpoint that model initialisation reads."""
    for where, d in _dicts(node, key):
        if d.get('type') == 'Pretrained' and isinstance(d.get('checkpoint'), str):
            yield f'{where}.checkpoint', d['checkpoint']
        for name, value in d.items():
            # `pretrained` and the `<part>_pretrained` paths that networks load themselves
            # (mmagic's `spynet_pretrained`).
            if (name == 'pretrained' or name.endswith('_pretrained')) and isinstance(
                    value, str) and value:
                yield f'{where}.{name}', value


def check_init_checkpoints(cfg: Config) -> None:
    """Refuses to train when a local checkpoint named for initialisation is missing.

    mmengine would otherwise fail deep inside ``init_weights``, after building the datasets,
    without saying which config key asked for the file. URLs and ``scheme://`` paths (which
    mmengine downloads or resolves itself) are not checked.

    Raises:
        FileNotFoundError: Naming the key, the path, and what to do.
    """
    for key, path in _init_checkpoints(cfg.get('model', {}), 'model'):
        if '://' in path or osp.isfile(osp.join(REPO_ROOT, osp.expanduser(path))):
            continue
        raise FileNotFoundError(
            f'{key} = {path!r}: no such file (relative paths resolve against {REPO_ROOT}). '
            'Train or download that checkpoint first (the config\'s comments name the config '
            'that produces it), or override the key with --cfg-options.')


def _initialises(node: Any) -> bool:
    """Whether a module config loads weights: a ``Pretrained`` init_cfg or a ``pretrained``
    path, on the module itself or anywhere inside it (its backbone)."""
    return any(True for _ in _init_checkpoints(node, ''))


def check_frozen_initialised(cfg: Config) -> None:
    """Refuses to train a frozen module that nothing initialises.

    A module built with ``frozen=True`` and neither a ``Pretrained`` init_cfg nor a
    ``pretrained`` path (on it or its backbone) would train the rest of the model on fixed
    random features without a word. ``load_from`` and ``resume`` (whole-model weights) count
    as initialisation.

    Raises:
        ValueError: Naming the key and what to set.
    """
    if cfg.get('load_from') or cfg.get('resume'):
        return
    for key, node in _dicts(cfg.get('model', {}), 'model'):
        if node.get('frozen') is not True:
            continue
        if not _initialises(node):
            raise ValueError(
                f'{key}.frozen = True but nothing initialises {key}: training would fit the '
                f'rest of the model to frozen random features. Set {key}.init_cfg = '
                "dict(type='Pretrained', checkpoint=...) (the config's comments say where the "
                f'weights come from), give load_from, or set {key}.frozen = False.')


def absolute(path: str | None) -> str | None:
    """Resolves a command-line path against the caller's working directory."""
    return None if path is None else osp.abspath(osp.expanduser(path))


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Adds the arguments that train.py and test.py share."""
    parser.add_argument('--work-dir', help='the dir to save logs, models and metrics')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config keys, "key=value" (dotted keys; lists as "[a,b]"); each key '
        'must exist in the config, except new arguments of a dict that has a "type"')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def apply_common_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Applies ``--cfg-options`` (checked), ``--launcher`` and ``--work-dir`` to ``cfg``.

    The default work dir is ``work_dirs/<config name>`` under the repository root.
    """
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    if args.cfg_options:
        check_cfg_options(cfg, args.cfg_options)
        cfg.merge_from_dict(args.cfg_options)
    check_top_level_keys(cfg)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = absolute(args.work_dir)
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join(REPO_ROOT, 'work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    return cfg


def build_runner(cfg: Config) -> Runner:
    """Builds the runner (a custom one if the config names ``runner_type``) from the
    repository root, so that relative paths in the config resolve there."""
    os.chdir(REPO_ROOT)
    return RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(cfg)
