"""End-point error of a flow estimator on the embedded VSR clips' neighbouring LR frames.

The clips' camera matrices give the true flow (``lr_flow``), so any module with SPyNet's
``forward(ref, supp)`` can be measured against it and against predicting no motion. Reports the
average EPE over valid pixels, per pair, over all pairs (t, t+1) and (t+1, t) of a split::

    python tools/analysis_tools/ttvsr_flow_epe.py                          # DISFlow, test split
    python tools/analysis_tools/ttvsr_flow_epe.py --flow "dict(type='DISFlow', patch_size=4)"
"""
from __future__ import annotations

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmagic.registry import MODELS  # noqa: E402

import projects.ttvsr  # noqa: E402,F401  (registers DISFlow)
from projects.common.config import absolute  # noqa: E402
from projects.common.datasets.embedded_vsr import (  # noqa: E402
    load_camera,
    lr_flow,
    read_meta_info,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--root', default='data/embedded_vsr', help='embedded VSR dataset')
    parser.add_argument('--split', default='test')
    parser.add_argument('--lr-folder', default='BIx4')
    parser.add_argument('--flow', default="dict(type='DISFlow')",
                        help='config dict of the estimator (mmagic MODELS)')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    root = absolute(args.root)
    meta = osp.join(root, f'meta_info_{args.split}_GT.txt')
    if not osp.isfile(meta):
        raise FileNotFoundError(f'{meta!r} not found: build the embedded VSR dataset first '
                                '(any tiny TTVSR config writes it on first use).')
    estimator = MODELS.build(eval(args.flow, {'dict': dict})).eval()  # noqa: S307 (CLI dict)
    epe, zero = [], []
    for clip, names in read_meta_info(meta).items():
        matrices = load_camera(root, clip)['matrices']
        frames = [torch.from_numpy(cv2.imread(osp.join(root, args.lr_folder, clip, n))[..., ::-1]
                                   .copy()).permute(2, 0, 1).float() / 255 for n in names]
        for t in range(len(frames) - 1):
            for a, b in ((t, t + 1), (t + 1, t)):
                flow = estimator(frames[a][None], frames[b][None])[0].numpy()
                true, valid = lr_flow(matrices[a], matrices[b], flow.shape[-2:])
                epe.append(np.linalg.norm(flow - true, axis=0)[valid].mean())
                zero.append(np.linalg.norm(true, axis=0)[valid].mean())
    result = dict(pairs=len(epe), epe=float(np.mean(epe)), zero_flow_epe=float(np.mean(zero)))
    print(f"{result['pairs']} pairs: EPE {result['epe']:.3f} px, zero flow "
          f"{result['zero_flow_epe']:.3f} px")
    return result


if __name__ == '__main__':
    main()
