"""Extract the SPyNet of a checkpoint as the plain state dict that ``spynet_pretrained=`` loads.

Works on a checkpoint of the SPyNet pre-training (``SPyNetPretraining``) and of any
BasicVSR-family editor (mmagic's ``BasicVSR``, ``TTVSR``): all keep the flow network at
``generator.spynet``. The output is what ``TTVSRNet(spynet_pretrained=...)`` and mmagic's
``BasicVSRNet(spynet_pretrained=...)`` load strictly, in place of the released
``spynet_20210409-c6c1bd09.pth``::

    python projects/ttvsr/tools/extract_spynet.py \\
        work_dirs/spynet_1xb8-2k_tiny-embedded-vsr-flow/iter_2000.pth checkpoints/spynet.pth
"""
from __future__ import annotations

import argparse
import os
import os.path as osp
import sys

import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import projects  # noqa: E402,F401  (compatibility fixes: mmengine checkpoints load weights-only)
from projects.common.config import absolute  # noqa: E402

PREFIX = 'generator.spynet.'
# ImageNet normalisation buffers: SPyNet registers them after loading ``pretrained`` (strictly),
# so the released file has none and an extracted one must not either.
BUFFERS = ('mean', 'std')


def extract_spynet(checkpoint: str, out: str) -> dict[str, torch.Tensor]:
    """Writes the ``generator.spynet.*`` weights of ``checkpoint`` to ``out``, unprefixed.

    Raises:
        FileNotFoundError: If ``checkpoint`` does not exist.
        KeyError: If it holds no ``generator.spynet.*`` weights (naming what it holds).
    """
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'{checkpoint!r}: no such checkpoint.')
    state = torch.load(checkpoint, map_location='cpu')
    state = state.get('state_dict', state)
    spynet = {k[len(PREFIX):]: v for k, v in state.items()
              if k.startswith(PREFIX) and k[len(PREFIX):] not in BUFFERS}
    if not spynet:
        heads = sorted({k.split('.')[0] for k in state})
        raise KeyError(f'{checkpoint!r} has no {PREFIX}* weights (top-level keys: {heads}); '
                       'give a checkpoint of SPyNetPretraining, BasicVSR or TTVSR.')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    torch.save(spynet, out)
    return spynet


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description='Write the SPyNet of a checkpoint as a plain '
                                     'state dict for spynet_pretrained=')
    parser.add_argument('checkpoint', help='SPyNetPretraining, BasicVSR or TTVSR checkpoint')
    parser.add_argument('out', help='output .pth file')
    args = parser.parse_args(argv)
    out = absolute(args.out)
    spynet = extract_spynet(absolute(args.checkpoint), out)
    print(f'{len(spynet)} SPyNet tensors '
          f'({sum(v.numel() for v in spynet.values()):,} parameters) -> {out}')
    return out


if __name__ == '__main__':
    main()
