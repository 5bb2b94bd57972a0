"""Compares this project's AdaFocusV2 with the official one on the same weights.

Builds ``AdaFocus`` of the official code (github.com/LeapLabTHU/AdaFocusV2, folder
"Experiments on ActivityNet, FCVID and Mini-Kinetics": ``models/adafocus_v2.py`` with its
``mobilenet_v2.py`` and ``resnet.py``; MobileNetV2 glance, ResNet-50 focus, GRU policy,
running-max classifier) from a checkout, gives every tensor random values (batch-norm
statistics and the GRU included), loads the same weights into the model of
``adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py`` through
``convert_official.py`` (strictly; the policy's rows swapped from the official (row, column)
to this project's (x, y)), runs both in eval mode on the same 224x224 frames and prints the
largest absolute difference of the patch locations, the classifier's logits at every step
and the two auxiliary heads' logits. The last line is ``max_abs_diff=<value>``; the exit
status is 0 when every difference is at most ``--rtol`` (default 1e-4) times the largest
official value it is compared with (float32 rounding through MobileNetV2, the bilinear crop
and ResNet-50).

The official code runs on CUDA only (``.cuda()`` inside ``forward``) and loads ImageNet
weights from a cluster path when built; the tool makes ``.cuda()`` a no-op while the official
model runs on the CPU and builds the encoders without pre-training (the weights are
overwritten anyway). Nothing of the checkout is copied.

Example::

    python projects/adafocus_v2/tools/compare_official.py --official-repo /path/to/AdaFocusV2
"""
from __future__ import annotations

import argparse
import importlib
import os.path as osp
import sys
import types
from unittest import mock

import torch
from torch import nn

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.common import benchmark as harness  # noqa: E402

convert_state_dict = harness.sibling_tool(__file__, 'convert_official').convert_state_dict

EXPERIMENT = 'Experiments on ActivityNet, FCVID and Mini-Kinetics'
CONFIG = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs',
                  'adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py')


def load_official(repo: str) -> types.ModuleType:
    """``models/adafocus_v2.py`` of the checkout, imported as the package it expects."""
    root = osp.join(repo, EXPERIMENT)
    if not osp.isfile(osp.join(root, 'models', 'adafocus_v2.py')):
        raise FileNotFoundError(f'{root!r}/models/adafocus_v2.py not found: is '
                                '--official-repo a checkout of LeapLabTHU/AdaFocusV2?')
    # The official files import `ops.transforms` and `.resnet`: give them their folder, and
    # take it away afterwards so that nothing else resolves `models` or `ops` there.
    names = ('models', 'ops')
    saved = {k: v for k, v in sys.modules.items() if k.split('.')[0] in names}
    for key in saved:
        del sys.modules[key]
    sys.path.insert(0, root)
    try:
        module = importlib.import_module('models.adafocus_v2')
    finally:
        sys.path.remove(root)
        for key in [k for k in sys.modules if k.split('.')[0] in names]:
            del sys.modules[key]
        sys.modules.update(saved)
    return module


def build_official(module: types.ModuleType, num_frames: int, patch_size: int,
                   num_classes: int) -> nn.Module:
    args = types.SimpleNamespace(
        num_segments=num_frames, num_classes=num_classes, dataset='actnet', input_size=224,
        batch_size=1, patch_size=patch_size, glance_arch='mbv2', fc_dropout=0.2,
        stn_hidden_dim=2048, dropout=0.2, glance_ckpt_path='')
    mbv2, resnet50 = module.mobilenet_v2, module.resnet50
    with mock.patch.object(module, 'mobilenet_v2', lambda pretrained=True: mbv2(False)), \
            mock.patch.object(module, 'resnet50', lambda pretrained=False: resnet50(False)):
        return module.AdaFocus(args)


def build_ours(num_frames: int, patch_size: int, num_classes: int) -> nn.Module:
    from mmengine.config import Config
    from mmengine.registry import MODELS, init_default_scope

    import projects.adafocus_v2  # noqa: F401
    cfg = Config.fromfile(CONFIG)
    cfg.model.merge(dict(num_frames=num_frames, patch_size=patch_size, num_classes=num_classes,
                         policy=dict(num_frames=num_frames),
                         classifier=dict(num_frames=num_frames, num_classes=num_classes)))
    init_default_scope('mmaction')
    return MODELS.build(cfg.model)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--official-repo', required=True, help='checkout of AdaFocusV2')
    parser.add_argument('--frames', type=int, default=4, help='frames per video (16 in the '
                        'paper; fewer to save time)')
    parser.add_argument('--patch-size', type=int, default=128)
    parser.add_argument('--num-classes', type=int, default=200)
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--rtol', type=float, default=1e-4)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)

    official = build_official(load_official(args.official_repo), args.frames, args.patch_size,
                              args.num_classes)
    harness.randomise_weights(official, args.seed)
    official.eval()
    ours = build_ours(args.frames, args.patch_size, args.num_classes)
    ours.load_state_dict(convert_state_dict(official.state_dict()), strict=True)
    ours.eval()

    gen = torch.Generator().manual_seed(args.seed + 1)
    frames = torch.randn(args.batch, args.frames, 3, 224, 224, generator=gen)
    actions = []
    official.policy_stn.register_forward_hook(lambda m, i, o: actions.append(o.detach()))
    b, t = args.batch, args.frames
    with torch.no_grad():
        with mock.patch.object(torch.Tensor, 'cuda', lambda self, *a, **k: self):
            cls, _, global_logits, local_logits = official(frames.clone())
        theirs = dict(actions=actions[0].view(b, t, 2).flip(-1),  # (row, column) → (x, y)
                      cls=cls.view(b, t, -1), aux_global=global_logits.view(b, t, -1),
                      aux_local=local_logits.view(b, t, -1))
        mine = ours.run(frames.clone())

    return harness.compare_outputs(mine, theirs, args.rtol)

if __name__ == '__main__':
    sys.exit(main())
