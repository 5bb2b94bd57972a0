"""Train a model from an MMPlug config (any host: mmaction2, mmagic, mmpretrain, mmengine).

Paths given on the command line are taken relative to the current directory; paths inside
configs (``data/...``, ``work_dirs/...``) relative to the repository root, as in every
OpenMMLab repository, so the tool runs from any working directory.
"""
from __future__ import annotations

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.runner import Runner  # noqa: E402

import projects  # noqa: E402,F401  (applies the compatibility fixes, registers the scope)
from projects.common.config import (  # noqa: E402
    absolute,
    add_common_args,
    apply_common_args,
    build_runner,
    check_frozen_initialised,
    check_init_checkpoints,
    load_config,
)
from projects.common.engine import add_rng_state_hook  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from the given checkpoint, or from the latest one in the work dir if '
        'no checkpoint is given')
    parser.add_argument('--amp', action='store_true',
                        help='enable automatic mixed precision training')
    parser.add_argument('--no-validate', action='store_true',
                        help='skip validation during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the learning rate by the actual batch size')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument('--diff-rank-seed', action='store_true',
                        help='use a different seed on each rank')
    parser.add_argument('--deterministic', action='store_true',
                        help='use deterministic algorithms')
    add_common_args(parser)
    return parser.parse_args(argv)


def merge_args(cfg, args: argparse.Namespace):
    """Applies the command-line arguments to the config (mmaction2's train.py semantics)."""
    cfg = apply_common_args(cfg, args)
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError(f'--amp needs optim_wrapper.type OptimWrapper, got {wrapper!r}.')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, absolute(args.resume)
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise KeyError('--auto-scale-lr needs `auto_scale_lr = dict(base_batch_size=N)` in '
                           'the config: the total batch size its learning rate was tuned for.')
        cfg.auto_scale_lr.enable = True
    randomness = dict(cfg.get('randomness', {}))
    randomness['seed'] = args.seed if args.seed is not None else randomness.get('seed')
    randomness['diff_rank_seed'] = args.diff_rank_seed or randomness.get('diff_rank_seed', False)
    randomness['deterministic'] = args.deterministic or randomness.get('deterministic', False)
    cfg.randomness = randomness
    # Random states of every rank in each checkpoint, so that --resume continues exactly.
    add_rng_state_hook(cfg)
    check_frozen_initialised(cfg)
    check_init_checkpoints(cfg)
    return cfg


def main(argv: list[str] | None = None) -> Runner:
    """Builds the runner from the config and trains; returns the runner."""
    args = parse_args(argv)
    cfg = merge_args(load_config(absolute(args.config)), args)
    runner = build_runner(cfg)
    runner.train()
    return runner


if __name__ == '__main__':
    main()
