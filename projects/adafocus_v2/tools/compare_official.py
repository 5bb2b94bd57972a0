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

``--design sth`` compares the Something-Something / Jester design instead: ``main.py``'s
``AdaFocus`` of folder "Experiments on Sth-Sth and Jester" (two TSM ``TSN`` wrappers:
TSM-MobileNetV2 on 8 glance frames, TSM-ResNet-50 on 12 focus frames' patches, one patch
location per video, detached linear heads) against ``adafocusv2-tsm_mbv2-r50_p128_*``; the
official ``main.py`` imports tensorboardX for logging only, which the tool stubs, and
torchvision's ResNet-50 is built without weights. Compared: the patch location, the fused
logits and the two auxiliary heads' logits.

``--glance res50`` builds both with the ResNet-50 glance on 96x96 frames (the "RN" models,
``adafocusv2_r50-r50_p128_*``).

Example::

    python projects/adafocus_v2/tools/compare_official.py --official-repo /path/to/AdaFocusV2
    python projects/adafocus_v2/tools/compare_official.py --official-repo /path/to/AdaFocusV2 \
        --glance res50
    python projects/adafocus_v2/tools/compare_official.py --official-repo /path/to/AdaFocusV2 \
        --design sth
"""
from __future__ import annotations

import argparse
import contextlib
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
STH_EXPERIMENT = 'Experiments on Sth-Sth and Jester'
CONFIG_DIR = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs')
CONFIG = osp.join(CONFIG_DIR, 'adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py')
RN_CONFIG = osp.join(CONFIG_DIR, 'adafocusv2_r50-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py')
STH_CONFIG = osp.join(CONFIG_DIR, 'adafocusv2-tsm_mbv2-r50_p128_4xb8-8x1x1-50e_sthv1-rgb.py')


@contextlib.contextmanager
def official_path(root: str, packages: tuple[str, ...]):
    """``root`` on the path while the official code imports and builds (it imports some
    modules lazily); afterwards the folder and the top-level ``packages`` it provides are
    taken away again, so that nothing else resolves them there."""
    saved = {k: v for k, v in sys.modules.items() if k.split('.')[0] in packages}
    for key in saved:
        del sys.modules[key]
    sys.path.insert(0, root)
    try:
        yield
    finally:
        sys.path.remove(root)
        for key in [k for k in sys.modules if k.split('.')[0] in packages]:
            del sys.modules[key]
        sys.modules.update(saved)


def load_official(repo: str) -> types.ModuleType:
    """``models/adafocus_v2.py`` of the checkout, imported as the package it expects."""
    root = osp.join(repo, EXPERIMENT)
    if not osp.isfile(osp.join(root, 'models', 'adafocus_v2.py')):
        raise FileNotFoundError(f'{root!r}/models/adafocus_v2.py not found: is '
                                '--official-repo a checkout of LeapLabTHU/AdaFocusV2?')
    # The official files import `ops.transforms` and `.resnet`.
    with official_path(root, ('models', 'ops')):
        return importlib.import_module('models.adafocus_v2')


def build_official_sth(repo: str, patch_size: int, num_classes: int) -> nn.Module:
    """The Sth-Sth / Jester ``main.py``'s ``AdaFocus`` of the checkout, without weights."""
    root = osp.join(repo, STH_EXPERIMENT)
    if not osp.isfile(osp.join(root, 'main.py')):
        raise FileNotFoundError(f'{root!r}/main.py not found: is --official-repo a checkout '
                                'of LeapLabTHU/AdaFocusV2?')
    stub = types.ModuleType('tensorboardX')
    stub.SummaryWriter = object  # logging only; not used by the model
    # Only this key is restored afterwards: restoring all of sys.modules would drop the C
    # extensions imported meanwhile, which cannot be imported twice.
    installed = sys.modules.setdefault('tensorboardX', stub) is stub
    try:
        with official_path(root, ('main', 'ops', 'archs', 'opts')):
            return _build_sth(importlib.import_module('main'), patch_size, num_classes)
    finally:
        if installed:
            del sys.modules['tensorboardX']


def build_official(module: types.ModuleType, num_frames: int, patch_size: int,
                   num_classes: int, glance: str = 'mbv2') -> nn.Module:
    args = types.SimpleNamespace(
        num_segments=num_frames, num_classes=num_classes, dataset='actnet', input_size=224,
        batch_size=1, patch_size=patch_size, glance_arch=glance, fc_dropout=0.2,
        stn_hidden_dim=2048, dropout=0.2, glance_ckpt_path='')
    mbv2, resnet50 = module.mobilenet_v2, module.resnet50
    with mock.patch.object(module, 'mobilenet_v2', lambda pretrained=True: mbv2(False)), \
            mock.patch.object(module, 'resnet50', lambda pretrained=False: resnet50(False)):
        return module.AdaFocus(args)


def _build_sth(module: types.ModuleType, patch_size: int, num_classes: int) -> nn.Module:
    args = types.SimpleNamespace(
        num_segments=8, modality='RGB', consensus_type='avg', dropout=0.5,
        img_feature_dim=256, no_partialbn=True, pretrain='', shift=True, shift_div=8,
        shift_place='blockres', tune_from=None, dataset='something', temporal_pool=False,
        non_local=False, feature_map_channels=1280, patch_size=patch_size)
    import torchvision
    resnet50 = torchvision.models.resnet50
    # TSN calls `resnet50(pretrained)` positionally (torchvision 0.8); no weights here.
    with mock.patch.object(torchvision.models, 'resnet50',
                           lambda *a, **k: resnet50(weights=None)):
        return module.AdaFocus(num_classes, args)


def build_ours(num_frames: int, patch_size: int, num_classes: int,
               glance: str = 'mbv2', channels_last: bool = True) -> nn.Module:
    from mmengine.config import Config
    from mmengine.registry import MODELS, init_default_scope

    import projects.adafocus_v2  # noqa: F401
    cfg = Config.fromfile(CONFIG if glance == 'mbv2' else RN_CONFIG)
    cfg.model.merge(dict(num_frames=num_frames, patch_size=patch_size, num_classes=num_classes,
                         policy=dict(num_frames=num_frames),
                         classifier=dict(num_frames=num_frames, num_classes=num_classes),
                         channels_last=channels_last))
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
    parser.add_argument('--glance', choices=('mbv2', 'res50'), default='mbv2',
                        help='the ActivityNet design\'s glance network: MobileNetV2 on 224x224 '
                        '(default) or ResNet-50 on 96x96 ("RN", --glance_arch res50)')
    parser.add_argument('--plain-layout', action='store_true',
                        help='build ours with channels_last=False (the official layout): '
                        'then the kernels, and the outputs, are the same')
    parser.add_argument('--design', choices=('actnet', 'sth'), default='actnet',
                        help='actnet: ActivityNet/FCVID/Mini-Kinetics (default); sth: '
                        'Something-Something / Jester (TSM; 8 + 12 frames, 174 classes)')
    args = parser.parse_args(argv)
    if args.design == 'sth':
        return compare_sth(args)

    official = build_official(load_official(args.official_repo), args.frames, args.patch_size,
                              args.num_classes, args.glance)
    harness.randomise_weights(official, args.seed)
    official.eval()
    ours = build_ours(args.frames, args.patch_size, args.num_classes, args.glance,
                      not args.plain_layout)
    ours.load_state_dict(convert_state_dict(official.state_dict()), strict=True)
    ours.eval()

    gen = torch.Generator().manual_seed(args.seed + 1)
    frames = torch.randn(args.batch, args.frames, 3, 224, 224, generator=gen)
    actions = []
    official.policy_stn.register_forward_hook(lambda m, i, o: actions.append(o.detach()))
    b, t = args.batch, args.frames
    with torch.no_grad():
        with mock.patch.object(torch.Tensor, 'cuda', lambda self, *a, **k: self):
            # Its ResNet glance resizes (B, T·3, H, W) before splitting the frames.
            cls, _, global_logits, local_logits = official(frames.flatten(1, 2).clone())
        theirs = dict(actions=actions[0].view(b, t, 2).flip(-1),  # (row, column) → (x, y)
                      cls=cls.view(b, t, -1), aux_global=global_logits.view(b, t, -1),
                      aux_local=local_logits.view(b, t, -1))
        mine = ours.run(frames.clone())

    return harness.compare_outputs(mine, theirs, args.rtol)


def compare_sth(args) -> int:
    """The Sth-Sth / Jester design on the same weights (see the module docstring)."""
    from mmengine.config import Config
    from mmengine.registry import MODELS, init_default_scope

    import projects.adafocus_v2  # noqa: F401
    num_classes = 174 if args.num_classes == 200 else args.num_classes
    official = build_official_sth(args.official_repo, args.patch_size, num_classes)
    harness.randomise_weights(official, args.seed)
    official.eval()
    cfg = Config.fromfile(STH_CONFIG)
    cfg.model.merge(dict(patch_size=args.patch_size, num_classes=num_classes,
                         classifier=dict(num_classes=num_classes),
                         channels_last=not args.plain_layout))
    init_default_scope('mmaction')
    ours = MODELS.build(cfg.model)
    ours.load_state_dict(convert_state_dict(official.state_dict()), strict=True)
    ours.eval()

    gen = torch.Generator().manual_seed(args.seed + 1)
    b, glance, focus = args.batch, 8, 12
    frames = torch.randn(b, glance + focus, 3, 224, 224, generator=gen)
    actions = []
    official.policy_stn.register_forward_hook(lambda m, i, o: actions.append(o.detach()))
    with torch.no_grad():
        with mock.patch.object(torch.Tensor, 'cuda', lambda self, *a, **k: self):
            # The official inputs stack the frames along the channels: (B, T·3, H, W).
            cls, global_logits, local_logits = official(
                frames[:, :glance].reshape(b, glance * 3, 224, 224).contiguous(),
                frames[:, glance:].reshape(b, focus * 3, 224, 224).contiguous())
        theirs = dict(actions=actions[0].flip(-1),  # (row, column) → (x, y)
                      cls=cls, aux_global=global_logits, aux_local=local_logits)
        out = ours.run(frames.clone())
    mine = {k: out[k].reshape(theirs[k].shape) for k in theirs}
    return harness.compare_outputs(mine, theirs, args.rtol)

if __name__ == '__main__':
    sys.exit(main())
