"""Writes the primary network F of a CMPL checkpoint as a plain mmaction2 checkpoint.

Only F is used at test time (the paper's auxiliary network A is discarded after training). The
result loads strictly into the ``primary-only_*`` configs (mmaction2's ``Recognizer3D``), so
mmaction2's ``tools/test.py`` runs it unchanged::

    python projects/cmpl/tools/export_primary.py work_dirs/cmpl/epoch_200.pth primary.pth
    python tools/test.py projects/cmpl/configs/primary-only_slowonly-r50_8x8x1_kinetics400-rgb.py \
        primary.pth

``ExportPrimaryHook`` writes the same file at the end of training.
"""
from __future__ import annotations

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.cmpl.engine import export_primary  # noqa: E402


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='a CMPLRecognizer checkpoint')
    parser.add_argument('out', help='where the primary-only checkpoint goes')
    args = parser.parse_args(argv)
    out = export_primary(args.checkpoint, args.out)
    print(f'primary network written to {out}')
    return out


if __name__ == '__main__':
    main()
