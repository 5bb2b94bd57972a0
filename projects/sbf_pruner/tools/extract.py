"""Extract the pruned network from an SbF-Pruner checkpoint.

Writes an ordinary mmpretrain config (an ImageClassifier with a ``SlimResNet`` backbone whose
layer widths are the surviving channels) and checkpoint, which ``tools/test.py`` evaluates
like any other model, with the accuracy of the gated model::

    python projects/sbf_pruner/tools/extract.py CONFIG CHECKPOINT OUT_DIR
    python tools/test.py OUT_DIR/NAME_extracted.py OUT_DIR/NAME_extracted.pth
"""
from __future__ import annotations

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import projects  # noqa: E402,F401  (compatibility fixes, registries)
from projects.common.config import absolute  # noqa: E402
from projects.sbf_pruner.extraction import extract_checkpoint  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Extract the pruned network of an SbF-Pruner '
                                     'checkpoint as an ordinary mmpretrain model')
    parser.add_argument('config', help='SbF-Pruner training config')
    parser.add_argument('checkpoint', help='checkpoint trained with that config')
    parser.add_argument('out_dir', help='folder for the extracted config and checkpoint')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> tuple[str, str]:
    args = parse_args(argv)
    config, checkpoint, summary = extract_checkpoint(
        absolute(args.config), absolute(args.checkpoint), absolute(args.out_dir))
    print(f'kept {summary["params"]:,} of {summary["dense_params"]:,} parameters '
          f'({100 * summary["params"] / summary["dense_params"]:.1f} %)\n'
          f'config:     {config}\ncheckpoint: {checkpoint}')
    return config, checkpoint


if __name__ == '__main__':
    main()
