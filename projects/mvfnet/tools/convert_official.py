"""Converts an official MVFNet checkpoint (github.com/whwu95/MVFNet) to this project's layout.

The official models (``codes/models/backbones/resnet.py`` with ``make_multi_view_fusion`` of
``codes/models/modules/MVF.py``, head ``codes/models/heads/tsn_clshead.py``) name their
parameters as torchvision's ResNet plus the MVF modules; this project's ``ResNetMVF`` is
mmaction2's ResNet, whose convolutions and norms sit in ``ConvModule``s
(``B`` = ``backbone``, ``L`` = ``backbone.layerX.Y``)::

    official                                  here
    B.conv1.weight, B.bn1.*                   B.conv1.conv.weight, B.conv1.bn.*
    L.convN.weight                            L.convN.conv.weight
    L.conv1.net.weight (MVF-wrapped conv)     L.conv1.conv.net.weight
    L.conv1.{shift,h,w}_conv.weight (MVF)     L.conv1.conv.{shift,h,w}_conv.weight
    L.conv1.bn.* (MVF's BatchNorm3d)          L.conv1.conv.bn.*
    L.bnN.*                                   L.convN.bn.*
    L.downsample.{0,1}.*                      L.downsample.{conv,bn}.*
    cls_head.new_fc.{weight,bias}             cls_head.fc_cls.{weight,bias}

A ``module.`` prefix (distributed training) is dropped. Any other key is an error: the
checkpoint is not an MVFNet ResNet.

Example (the released Kinetics-400 weights, e.g. ``R50_16x4.pth`` of the v0.2 release)::

    python projects/mvfnet/tools/convert_official.py R50_16x4.pth \
        checkpoints/mvfnet_r50_16x4_kinetics400.pth
"""
from __future__ import annotations

import argparse
import os.path as osp
import re
import sys
from collections import OrderedDict

import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.common import benchmark as harness  # noqa: E402

BLOCK = r'(backbone\.layer\d+\.\d+)'
RULES = [
    (r'backbone\.conv1\.weight', r'backbone.conv1.conv.weight'),
    (r'backbone\.bn1\.(\w+)', r'backbone.conv1.bn.\1'),
    (BLOCK + r'\.conv(\d)\.net\.weight', r'\1.conv\2.conv.net.weight'),
    (BLOCK + r'\.conv(\d)\.(shift_conv|h_conv|w_conv)\.weight', r'\1.conv\2.conv.\3.weight'),
    (BLOCK + r'\.conv(\d)\.bn\.(\w+)', r'\1.conv\2.conv.bn.\3'),
    (BLOCK + r'\.conv(\d)\.weight', r'\1.conv\2.conv.weight'),
    (BLOCK + r'\.bn(\d)\.(\w+)', r'\1.conv\2.bn.\3'),
    (BLOCK + r'\.downsample\.0\.weight', r'\1.downsample.conv.weight'),
    (BLOCK + r'\.downsample\.1\.(\w+)', r'\1.downsample.bn.\2'),
    (r'cls_head\.new_fc\.(weight|bias)', r'cls_head.fc_cls.\1'),
]


def convert_key(key: str) -> str | None:
    """This project's name for an official parameter name, or None if it is not one."""
    key = key[len('module.'):] if key.startswith('module.') else key
    for pattern, replacement in RULES:
        if re.fullmatch(pattern, key):
            return re.sub(pattern, replacement, key)
    return None


def convert_state_dict(state_dict: dict[str, torch.Tensor]) -> OrderedDict:
    """Renames every key of an official MVFNet state dict.

    Raises:
        KeyError: Listing the keys that are not parameters of an official MVFNet ResNet.
    """
    converted, unknown = OrderedDict(), []
    for key, value in state_dict.items():
        new = convert_key(key)
        if new is None:
            unknown.append(key)
        else:
            converted[new] = value
    if unknown:
        raise KeyError(f'{len(unknown)} keys are not parameters of an official MVFNet ResNet '
                       f'(first ones: {unknown[:8]}).')
    return converted


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='official checkpoint (.pth)')
    parser.add_argument('dst', help='converted mmengine checkpoint (.pth)')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    state_dict, _ = harness.read_official_checkpoint(args.src, weights_only=True)
    harness.write_converted(convert_state_dict(state_dict), args.dst, args.src)


if __name__ == '__main__':
    main()
