"""Exports the ResNet backbone of an mmaction2 checkpoint in torchvision's format.

The tiny configs' stand-in for ImageNet pre-training (``tsn_r18_1xb64-1x1x1-4e_tiny-digit-
stills.py``) is a TSN checkpoint. The paper's models start from torchvision's ImageNet weights,
and each backbone has its own path for those (``ResNet``, ``ResNetTSM`` and ``ResNetMVF``
with ``pretrained=<file>``: the latter two put the weights of their wrapped convolutions in
place). Exported in that format, the stills weights reach TSN, TSM and MVFNet the same way.

Example::

    python projects/mvfnet/tools/export_backbone.py \
        work_dirs/tsn_r18_1xb64-1x1x1-4e_tiny-digit-stills/epoch_4.pth \
        work_dirs/tsn_r18_1xb64-1x1x1-4e_tiny-digit-stills/resnet18_torchvision.pth
"""
from __future__ import annotations

import argparse
import os.path as osp
import re
import sys
from collections import OrderedDict

import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import projects.common  # noqa: E402,F401  (loads mmengine checkpoints with weights_only)

LAYER = r'(layer\d+\.\d+)'
RULES = [
    (r'conv1\.conv\.weight', r'conv1.weight'),
    (r'conv1\.bn\.(\w+)', r'bn1.\1'),
    (LAYER + r'\.conv(\d)\.conv\.weight', r'\1.conv\2.weight'),
    (LAYER + r'\.conv(\d)\.bn\.(\w+)', r'\1.bn\2.\3'),
    (LAYER + r'\.downsample\.conv\.weight', r'\1.downsample.0.weight'),
    (LAYER + r'\.downsample\.bn\.(\w+)', r'\1.downsample.1.\2'),
]


def to_torchvision(state_dict: dict[str, torch.Tensor],
                   prefix: str = 'backbone.') -> OrderedDict:
    """The ``prefix`` entries of an mmaction2 ``ResNet`` state dict, with torchvision names.

    Raises:
        KeyError: If an entry under ``prefix`` is not a plain ResNet parameter (e.g. the
            checkpoint's backbone already has wrapped convolutions).
    """
    exported, unknown = OrderedDict(), []
    for key, value in state_dict.items():
        if not key.startswith(prefix):
            continue
        name = key[len(prefix):]
        for pattern, replacement in RULES:
            if re.fullmatch(pattern, name):
                exported[re.sub(pattern, replacement, name)] = value
                break
        else:
            unknown.append(key)
    if unknown or not exported:
        raise KeyError(f'Not a plain mmaction2 ResNet under {prefix!r}: '
                       f'{unknown[:8] or "no entries"}.')
    return exported


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='mmaction2 checkpoint of a ResNet recognizer')
    parser.add_argument('out', help='torchvision-format backbone weights (.pth)')
    args = parser.parse_args(argv)
    state = torch.load(args.checkpoint, map_location='cpu', weights_only=True)['state_dict']
    exported = to_torchvision(state)
    torch.save(exported, args.out)
    print(f'{len(exported)} tensors written to {args.out}')


if __name__ == '__main__':
    main()
