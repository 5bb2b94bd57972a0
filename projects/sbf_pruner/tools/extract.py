"""Extract the pruned network from an SbF-Pruner checkpoint.

Writes an ordinary mmpretrain config (an ImageClassifier with a ``SlimResNet`` backbone whose
layer widths are the surviving channels) and checkpoint, which ``tools/test.py`` evaluates
like any other model, with the accuracy of the gated model::

    python projects/sbf_pruner/tools/extract.py CONFIG CHECKPOINT OUT_DIR
    python tools/test.py OUT_DIR/NAME_extracted.py OUT_DIR/NAME_extracted.pth

``--time REPS`` also times the extracted network against the gated one it came from (same
random inputs of the test size, one thread, median CPU time of REPS interleaved calls).
"""
from __future__ import annotations

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import torch  # noqa: E402

import projects  # noqa: E402,F401  (compatibility fixes, registries)
from projects.common import benchmark as harness  # noqa: E402
from projects.common.config import absolute  # noqa: E402
from projects.sbf_pruner.extraction import (  # noqa: E402
    example_inputs,
    extract_checkpoint,
    input_size,
    load_pruner,
    logits,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Extract the pruned network of an SbF-Pruner '
                                     'checkpoint as an ordinary mmpretrain model')
    parser.add_argument('config', help='SbF-Pruner training config')
    parser.add_argument('checkpoint', help='checkpoint trained with that config')
    parser.add_argument('out_dir', help='folder for the extracted config and checkpoint')
    parser.add_argument('--time', type=int, default=0, metavar='REPS',
                        help='time the extracted against the gated network (REPS calls each)')
    parser.add_argument('--batch', type=int, default=8, help='batch size for --time')
    return parser.parse_args(argv)


def time_extracted(config: str, checkpoint: str, slim_config: str, slim_checkpoint: str,
                   reps: int, batch: int) -> dict[str, float]:
    """Median seconds per batch of the gated and the extracted network, side by side."""
    cfg, pruner = load_pruner(config, checkpoint)
    slim = harness.load_model(slim_config, slim_checkpoint)
    torch.set_num_threads(1)
    inputs = example_inputs(pruner.model, input_size(cfg), batch, seed=0)
    with torch.no_grad():
        return harness.time_side_by_side({'gated': lambda: logits(pruner, inputs),
                                          'extracted': lambda: logits(slim, inputs)}, reps)


def main(argv: list[str] | None = None) -> tuple[str, str]:
    args = parse_args(argv)
    config, checkpoint, summary = extract_checkpoint(
        absolute(args.config), absolute(args.checkpoint), absolute(args.out_dir))
    print(f'kept {summary["params"]:,} of {summary["dense_params"]:,} parameters '
          f'({100 * summary["params"] / summary["dense_params"]:.1f} %)\n'
          f'config:     {config}\ncheckpoint: {checkpoint}')
    if args.time:
        median = time_extracted(absolute(args.config), absolute(args.checkpoint), config,
                                checkpoint, args.time, args.batch)
        print(f'gated {1e3 * median["gated"]:.1f} ms, extracted '
              f'{1e3 * median["extracted"]:.1f} ms per batch of {args.batch} (one thread): '
              f'{median["gated"] / median["extracted"]:.2f}x faster')
    return config, checkpoint


if __name__ == '__main__':
    main()
