"""Writes the labeled / unlabeled split of an mmaction2 list file (what the configs' dataset
does on first use), e.g. to inspect it or share it between machines::

    python projects/cmpl/tools/split_labeled.py \
        data/kinetics400/kinetics400_train_list_videos.txt --percent 1 --seed 0 \
        --out-dir data/kinetics400/splits

Per class, ``max(1, round(n_c * percent / 100))`` videos are drawn (seeded) as labeled; the rest
is unlabeled. An existing split is reused.
"""
from __future__ import annotations

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.cmpl.datasets import split_labeled  # noqa: E402


def main(argv: list[str] | None = None) -> tuple[str, str]:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ann_file', help='the full training list ("path label" per line)')
    parser.add_argument('--percent', type=float, required=True, help='labeled percentage')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out-dir', default=None, help="defaults to the list's folder")
    args = parser.parse_args(argv)
    paths = split_labeled(args.ann_file, args.percent, args.seed, args.out_dir)
    for kind, path in zip(('labeled', 'unlabeled'), paths, strict=False):
        with open(path) as f:
            print(f'{kind}: {sum(1 for _ in f)} videos in {path}')
    return paths


if __name__ == '__main__':
    main()
