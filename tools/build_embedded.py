"""Write the embedded datasets that a config uses, ahead of training.

    python tools/build_embedded.py CONFIG [--cfg-options key=value ...]

Every ``EmbeddedDataset`` in the config (train, val and test dataloaders) is built, or reused
when its folder already holds it; the roots are printed.
"""
from __future__ import annotations

import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction  # noqa: E402

import projects  # noqa: E402,F401
from projects.common.config import REPO_ROOT, absolute, load_config  # noqa: E402
from projects.common.datasets import build_embedded_data  # noqa: E402


def find_builders(node) -> list[dict]:
    """Returns the ``builder`` of every ``EmbeddedDataset`` dict nested in ``node``."""
    found = []
    if isinstance(node, dict):
        if node.get('type') == 'EmbeddedDataset':
            found.append(node['builder'])
        for value in node.values():
            found.extend(find_builders(value))
    elif isinstance(node, (list, tuple)):
        for value in node:
            found.extend(find_builders(value))
    return found


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    cfg = load_config(absolute(args.config))
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    os.chdir(REPO_ROOT)
    roots = []
    for builder in find_builders(cfg.to_dict()):
        root = build_embedded_data(builder)
        if root not in roots:
            roots.append(root)
            print(root)
    if not roots:
        raise SystemExit(f'{args.config} uses no embedded dataset.')
    return roots


if __name__ == '__main__':
    main()
