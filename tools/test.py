"""Test (evaluate) a checkpoint with an MMPlug config.

The checkpoint is loaded strictly: one trained with another model is refused with the keys
that do not match, instead of being evaluated with randomly initialised layers.
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
    load_config,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dump predictions to this pickle file (.pkl)')
    parser.add_argument('--show-dir', help='save visualised predictions to this dir')
    add_common_args(parser)
    return parser.parse_args(argv)


def merge_args(cfg, args: argparse.Namespace):
    """Applies the command-line arguments to the config."""
    cfg = apply_common_args(cfg, args)
    # Loaded strictly in main(); the runner must not load it again leniently.
    cfg.load_from, cfg.resume = None, False
    if args.show_dir is not None:
        # The host toolbox's hook (mmaction2's, mmpretrain's): its runtimes leave it out.
        hooks = cfg.setdefault('default_hooks', {})
        hooks.setdefault('visualization', dict(type='VisualizationHook'))
        hooks.visualization.update(enable=True, out_dir=absolute(args.show_dir))
        hooks.visualization.setdefault('interval', 1)
    if args.out is not None:
        if not args.out.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--out must be a .pkl or .pickle file, got {args.out!r}.')
        evaluators = cfg.test_evaluator if isinstance(cfg.test_evaluator, list) \
            else [cfg.test_evaluator]
        cfg.test_evaluator = [*evaluators,
                              dict(type='DumpResults', out_file_path=absolute(args.out))]
    return cfg


def load_strict(runner: Runner, checkpoint: str, config: str) -> None:
    """Loads ``checkpoint`` into the runner's model, refusing any key mismatch."""
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'Checkpoint not found: {checkpoint!r}.')
    try:
        runner.load_checkpoint(checkpoint, map_location='cpu', strict=True)
    except RuntimeError as e:
        raise RuntimeError(
            f'Checkpoint {checkpoint!r} does not fit the model built from {config!r}; was it '
            f'trained with another config?\n{e}') from None


def main(argv: list[str] | None = None) -> dict:
    """Builds the runner, loads the checkpoint strictly and tests; returns the metrics."""
    args = parse_args(argv)
    config, checkpoint = absolute(args.config), absolute(args.checkpoint)
    cfg = merge_args(load_config(config), args)
    runner = build_runner(cfg)
    load_strict(runner, checkpoint, config)
    return runner.test()


if __name__ == '__main__':
    main()
