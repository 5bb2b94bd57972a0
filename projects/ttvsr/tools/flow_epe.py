"""End-point error of a flow estimator on the embedded VSR clips' neighbouring LR frames.

The clips' camera matrices give the true flow (``lr_flow``), so any module with SPyNet's
``forward(ref, supp)`` can be measured against it and against predicting no motion. Reports the
average EPE over valid pixels, per pair, over all pairs (t, t+1) and (t+1, t) of a split::

    python projects/ttvsr/tools/flow_epe.py                          # DISFlow, test split
    python projects/ttvsr/tools/flow_epe.py --flow "dict(type='DISFlow', patch_size=4)"
"""
from __future__ import annotations

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import torch  # noqa: E402
from mmagic.registry import DATASETS, MODELS  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import projects.ttvsr  # noqa: E402,F401  (registers DISFlow, FlowPairDataset, its transforms)
from projects.common.config import REPO_ROOT, absolute  # noqa: E402
from projects.ttvsr.models.spynet_pretraining import end_point_error  # noqa: E402

# The SPyNet pre-training's data config: its held-out pipeline (frames + true flow) is reused.
FLOW_DATA = osp.join(REPO_ROOT, 'projects/ttvsr/configs/_base_/datasets/embedded-vsr-flow.py')


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
    init_default_scope('mmagic')
    estimator = MODELS.build(eval(args.flow, {'dict': dict})).eval()  # noqa: S307 (CLI dict)
    # The held-out pairs of the SPyNet pre-training's validation: (t, t+1) and (t+1, t).
    dataset = DATASETS.build(dict(
        type='FlowPairDataset', data_root=root, ann_file=osp.basename(meta),
        lr_folder=args.lr_folder, intervals=(1, -1),
        pipeline=Config.fromfile(FLOW_DATA).test_pipeline, test_mode=True))
    epe, zero = [], []
    for sample in dataset:
        frames, truth = sample['inputs'], sample['data_samples']
        flow = estimator(frames[:1], frames[1:])
        true, valid = truth.gt_flow[None], truth.flow_valid[None]
        epe.append(float(end_point_error(flow, true, valid)))
        zero.append(float(end_point_error(torch.zeros_like(true), true, valid)))
    result = dict(pairs=len(epe), epe=sum(epe) / len(epe), zero_flow_epe=sum(zero) / len(zero))
    print(f"{result['pairs']} pairs: EPE {result['epe']:.3f} px, zero flow "
          f"{result['zero_flow_epe']:.3f} px")
    return result


if __name__ == '__main__':
    main()
