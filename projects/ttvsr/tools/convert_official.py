"""Converts an official TTVSR checkpoint (mmedit 0.x) into an MMPlug one.

The official checkpoints (``TTVSR_REDS.pth``, ``TTVSR_Vimeo90K.pth``, linked from the README of
github.com/researchmm/TTVSR) hold the restorer's ``state_dict`` with every tensor of the
network under ``generator.``. This project's ``TTVSRNet`` uses the official module names
(``spynet``, ``feat_extractor``, ``LTAM``, ``resblocks``, ``fusion``, ``upsample1``,
``upsample2``, ``conv_hr``, ``conv_last``), so each key maps to itself; a key outside these
modules is an error, not dropped. A bare network state dict (no ``generator.`` prefix) and a
``module.`` prefix (DataParallel) are accepted. mmagic's restorer adds a ``step_counter``
buffer (the iteration count of the flow network's warm-up freeze); it is written as the
checkpoint's ``meta.iter`` when known, else 0 (a finished training: the freeze is over).

Example::

    python projects/ttvsr/tools/convert_official.py TTVSR_REDS.pth \\
        checkpoints/ttvsr/ttvsr_reds_mmplug.pth
"""
from __future__ import annotations

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import torch  # noqa: E402

from projects.common import benchmark as harness  # noqa: E402

MODULES = ('spynet', 'feat_extractor', 'LTAM', 'resblocks', 'fusion', 'upsample1',
           'upsample2', 'conv_hr', 'conv_last')


def convert_state_dict(state: dict, step: int = 0) -> dict:
    """Official TTVSR (restorer or network) state dict → this project's editor state dict.

    Raises:
        KeyError: For a key outside the official network's modules.
    """
    out = {}
    for key, value in state.items():
        name = key[len('module.'):] if key.startswith('module.') else key
        name = name[len('generator.'):] if name.startswith('generator.') else name
        if name.split('.', 1)[0] not in MODULES:
            raise KeyError(f'Unknown TTVSR key {key!r}: expected generator.<module> with '
                           f'<module> one of {MODULES}.')
        out[f'generator.{name}'] = value
    out['step_counter'] = torch.tensor([float(step)])
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='official checkpoint')
    parser.add_argument('dst', help='output MMPlug checkpoint')
    args = parser.parse_args(argv)
    state, ckpt = harness.read_official_checkpoint(args.src)
    step = int(ckpt.get('meta', {}).get('iter', 0) or 0) if isinstance(ckpt, dict) else 0
    harness.write_converted(convert_state_dict(state, step), args.dst, args.src)


if __name__ == '__main__':
    main()
