"""Compares this project's TTVSRNet with the official one on the same weights.

Builds the official network from a checkout of github.com/researchmm/TTVSR
(``mmedit/models/backbones/sr_backbones/ttvsrnet.py``: ``TTVSRNet``, its ``LTAM``, SPyNet and
``flow_warp``), gives every tensor random values, loads the same weights into this
project's ``TTVSRNet`` through ``convert_official.py`` (strictly), runs both on the same LR
clip and prints the largest absolute difference of the x4 outputs. The last line is
``max_abs_diff=<value>``; the exit status is 0 when it is at most ``--atol`` (default 1e-5,
float32 rounding; the two compute the same operations in a different order).

Any LR size works, as in the official code: ``--height 64 --width 70`` checks a frame that is
not a multiple of the 4x4 tokens (the tokens cover the top-left 64x68; the official output
elsewhere is the warped state alone).

The official file targets mmedit 0.x and mmcv 1.x. Only it is loaded, from its path: the
mmedit names it imports (``PixelShufflePack``, ``ResidualBlockNoBN``, ``make_layer``) come from
mmagic, which kept them, and the registry, logger and checkpoint helpers it imports but does
not use for a forward pass are stubs. Nothing of the checkout is copied.

Example::

    python projects/ttvsr/tools/compare_official.py --official-repo /path/to/TTVSR
"""
from __future__ import annotations

import argparse
import importlib.util
import logging
import os.path as osp
import sys
import types

import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.common import benchmark as harness  # noqa: E402

convert_state_dict = harness.sibling_tool(__file__, 'convert_official').convert_state_dict

OFFICIAL_FILE = 'mmedit/models/backbones/sr_backbones/ttvsrnet.py'


class _Registry:
    """Stands in for mmedit's BACKBONES: registration is not needed to build the class."""

    def register_module(self, *args, **kwargs):
        return lambda cls: cls


def load_official(repo: str) -> types.ModuleType:
    """The official ``ttvsrnet.py`` module, with the mmedit 0.x names it imports provided."""
    path = osp.join(repo, OFFICIAL_FILE)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path!r} not found: is --official-repo a checkout of '
                                'researchmm/TTVSR?')
    from mmagic.models.archs import PixelShufflePack, ResidualBlockNoBN
    from mmagic.models.utils import make_layer
    from mmengine.runner import load_checkpoint
    stubs = {
        'mmcv.runner': dict(load_checkpoint=load_checkpoint),
        'mmedit': {}, 'mmedit.models': {},
        'mmedit.models.common': dict(PixelShufflePack=PixelShufflePack,
                                     ResidualBlockNoBN=ResidualBlockNoBN,
                                     make_layer=make_layer),
        'mmedit.models.registry': dict(BACKBONES=_Registry()),
        'mmedit.utils': dict(get_root_logger=logging.getLogger),
    }
    saved = {name: sys.modules.get(name) for name in stubs}
    try:
        for name, attrs in stubs.items():
            module = types.ModuleType(name)
            module.__dict__.update(attrs)
            sys.modules[name] = module
        spec = importlib.util.spec_from_file_location('official_ttvsrnet', path)
        official = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(official)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return official


def randomise(net: torch.nn.Module, seed: int) -> dict:
    """Random weights as a state dict: N(0, 0.02²) keeps 60 residual blocks and the flows
    finite (at 0.05 they overflow)."""
    gen = torch.Generator().manual_seed(seed)
    state = {}
    for key, value in net.state_dict().items():
        if key.startswith('spynet.') and key.endswith(('mean', 'std')):
            state[key] = value  # SPyNet's ImageNet normalisation constants
        else:
            state[key] = 0.02 * torch.randn(value.shape, generator=gen)
    return state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--official-repo', required=True, help='checkout of researchmm/TTVSR')
    parser.add_argument('--frames', type=int, default=5)
    parser.add_argument('--height', type=int, default=64)
    parser.add_argument('--width', type=int, default=64)
    parser.add_argument('--num-blocks', type=int, default=60)
    parser.add_argument('--atol', type=float, default=1e-5)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)

    import projects.ttvsr  # noqa: F401
    from projects.ttvsr.models import TTVSRNet
    official = load_official(args.official_repo).TTVSRNet(num_blocks=args.num_blocks).eval()
    state = randomise(official, args.seed)
    official.load_state_dict(state, strict=True)
    ours = TTVSRNet(num_blocks=args.num_blocks).eval()
    converted = convert_state_dict({f'generator.{k}': v for k, v in state.items()})
    ours.load_state_dict({k[len('generator.'):]: v for k, v in converted.items()
                          if k.startswith('generator.')}, strict=True)

    gen = torch.Generator().manual_seed(args.seed + 1)
    base = torch.rand(1, 3, args.height + args.frames, args.width + 2 * args.frames,
                      generator=gen)
    # A panning clip, so that flows, trajectories and keyframes all matter.
    lrs = torch.stack([base[..., i:i + args.height, 2 * i:2 * i + args.width]
                       for i in range(args.frames)], dim=1)
    with torch.no_grad():
        theirs = official(lrs)
        mine = ours(lrs)
    diff = (mine - theirs).abs().max().item()
    # What the network adds to the bilinear upsampling: the part a wrong attention changes.
    residual = theirs - torch.nn.functional.interpolate(
        lrs.flatten(0, 1), scale_factor=4, mode='bilinear', align_corners=False).view_as(theirs)
    print(f'LR clip {tuple(lrs.shape)} -> {tuple(mine.shape)}; max |official output| = '
          f'{theirs.abs().max().item():.3e}, max |output - bilinear| = '
          f'{residual.abs().max().item():.3e}')
    print(f'within atol={args.atol:g}: {diff <= args.atol}')
    print(f'max_abs_diff={diff:.3e}')
    return 0 if diff <= args.atol else 1


if __name__ == '__main__':
    sys.exit(main())
