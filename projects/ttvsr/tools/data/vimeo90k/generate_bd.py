"""Write BD x4 low-resolution frames, in Python, matching the MATLAB script of BasicVSR/TTVSR.

The official BD frames come from ``degradation/BD_degradation.m``: a Gaussian blur with sigma
1.6 (``fspecial('gaussian', 12, 1.6)``, ``imfilter`` with 'replicate' padding), then every 4th
pixel from MATLAB index 2. This script applies the same operation
(``projects.ttvsr.datasets.degradations.bd_degrade``) to every PNG under a GT folder and
mirrors the folder tree under the output folder, so it serves Vimeo-90K
(``GT/00001/0001/im1.png``), Vid4 and UDM10 alike::

    python projects/ttvsr/tools/data/vimeo90k/generate_bd.py data/vimeo90k/GT data/vimeo90k/BDx4
    python projects/ttvsr/tools/data/vimeo90k/generate_bd.py data/Vid4/GT data/Vid4/BDx4

Output pixels equal MATLAB's up to rounding ties (both round the filtered values to uint8).
"""
from __future__ import annotations

import argparse
import os
import os.path as osp
import sys

import cv2

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../../../..')))

from projects.ttvsr.datasets.degradations import bd_degrade  # noqa: E402


def generate_bd(gt_root: str, out_root: str, scale: int = 4, sigma: float = 1.6,
                overwrite: bool = False) -> int:
    """Degrades every ``*.png`` under ``gt_root`` into the same relative path under ``out_root``.

    Returns:
        int: Number of frames written.

    Raises:
        FileNotFoundError: If ``gt_root`` is not a folder or holds no PNG file.
        FileExistsError: If an output file exists and ``overwrite`` is False.
    """
    if not osp.isdir(gt_root):
        raise FileNotFoundError(f'{gt_root!r} is not a folder of GT frames.')
    written = 0
    for folder, _, files in sorted(os.walk(gt_root)):
        for name in sorted(f for f in files if f.lower().endswith('.png')):
            relative = osp.relpath(osp.join(folder, name), gt_root)
            target = osp.join(out_root, relative)
            if osp.exists(target) and not overwrite:
                raise FileExistsError(f'{target!r} exists; pass --overwrite to replace it.')
            gt = cv2.imread(osp.join(folder, name), cv2.IMREAD_UNCHANGED)
            os.makedirs(osp.dirname(target), exist_ok=True)
            # The blur and sampling are per channel, so BGR order needs no conversion.
            cv2.imwrite(target, bd_degrade(gt, scale, sigma))
            written += 1
    if not written:
        raise FileNotFoundError(f'No PNG frame found under {gt_root!r}.')
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description='BD x4 degradation (Gaussian sigma 1.6, '
                                     'every 4th pixel), as the MATLAB script of BasicVSR/TTVSR')
    parser.add_argument('gt_root', help='folder of GT frames (searched recursively for *.png)')
    parser.add_argument('out_root', help='output folder; the GT folder tree is mirrored')
    parser.add_argument('--scale', type=int, default=4, help='sampling step (default 4)')
    parser.add_argument('--sigma', type=float, default=1.6, help='Gaussian sigma (default 1.6)')
    parser.add_argument('--overwrite', action='store_true', help='replace existing files')
    args = parser.parse_args(argv)
    count = generate_bd(args.gt_root, args.out_root, args.scale, args.sigma, args.overwrite)
    print(f'{count} BD frames -> {args.out_root}')
    return count


if __name__ == '__main__':
    main()
