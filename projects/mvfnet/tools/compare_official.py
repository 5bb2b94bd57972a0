"""Compares this project's ResNetMVF with the official MVF ResNet on the same weights.

Builds the official backbone from a checkout of github.com/whwu95/MVFNet
(``codes/models/backbones/resnet.py`` + ``make_multi_view_fusion`` of
``codes/models/modules/MVF.py``), gives it random weights (batch-norm statistics and affine
parameters too, so that every tensor matters), loads the same weights into ``ResNetMVF``
through ``convert_official.py``'s key mapping (strictly: every key must match), runs both on
the same clips in eval and in train mode, and prints the largest absolute difference of the
res5 features. The last line is ``max_abs_diff=<value>``; the exit status is 0 when it is at
most ``--rtol`` (default 1e-4) times the largest official feature, 1 otherwise. The
tolerance is float32 rounding: the only difference between the two is h-swish, which the
official code computes as ``x * relu6(x + 3) / 6`` and this project with PyTorch's fused
``nn.Hardswish`` (with the official formula substituted the features are bit-identical);
its rounding differences grow with every MVF block they pass through.

The official code targets PyTorch 1.5 and mmcv 0.4.3. Only the modules the backbone needs are
loaded, from their files: the packages' ``__init__`` files (which import the training stack)
are skipped, ``mmcv.cnn`` gets mmengine's ``constant_init``/``kaiming_init`` where it lacks
them (mmcv 2 moved them), and the registry and checkpoint helpers that the backbone imports
but does not use for a forward pass are stubs. Nothing of the checkout is copied.

Example::

    python projects/mvfnet/tools/compare_official.py --official-repo /path/to/MVFNet
"""
from __future__ import annotations

import argparse
import importlib
import os.path as osp
import sys
import types

import torch
from torch import nn

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import projects.mvfnet  # noqa: E402,F401
from projects.common import benchmark as harness  # noqa: E402
from projects.mvfnet.models import ResNetMVF  # noqa: E402

convert_state_dict = harness.sibling_tool(__file__, 'convert_official').convert_state_dict


def _package(name: str, path: str) -> None:
    """Registers an empty package whose submodules are found under ``path``."""
    module = types.ModuleType(name)
    module.__path__ = [path]
    sys.modules[name] = module


def load_official(repo: str) -> tuple[type, callable]:
    """The official ``ResNet`` class and ``make_multi_view_fusion`` from a checkout."""
    codes = osp.join(repo, 'codes')
    if not osp.isfile(osp.join(codes, 'models/modules/MVF.py')):
        raise FileNotFoundError(f'{repo!r} is not a checkout of whwu95/MVFNet (no '
                                'codes/models/modules/MVF.py).')
    import mmcv.cnn
    from mmengine.model import constant_init, kaiming_init
    for name, fn in (('constant_init', constant_init), ('kaiming_init', kaiming_init)):
        if not hasattr(mmcv.cnn, name):
            setattr(mmcv.cnn, name, fn)
    for name in ('codes', 'codes.models', 'codes.models.backbones', 'codes.models.modules'):
        _package(name, osp.join(repo, *name.split('.')))
    utils = types.ModuleType('codes.utils')

    def unused(*args, **kwargs):
        raise NotImplementedError('not needed to compare forward passes')

    utils.get_root_logger = utils.load_checkpoint = unused
    sys.modules['codes.utils'] = utils
    builder = types.ModuleType('codes.models.builder')
    builder.BACKBONES = types.SimpleNamespace(register_module=lambda cls: cls)
    sys.modules['codes.models.builder'] = builder
    resnet = importlib.import_module('codes.models.backbones.resnet')
    mvf = importlib.import_module('codes.models.modules.MVF')
    return resnet.ResNet, mvf.make_multi_view_fusion


@torch.no_grad()
def randomise(model: nn.Module, clip: torch.Tensor, seed: int) -> None:
    """Random values for every parameter and batch-norm statistic.

    Weights are drawn at He scale and batch-norm affine parameters near (1, 0); the running
    statistics are then those of one clip of random frames (a train-mode pass with momentum
    1), so that eval-mode features keep a sane magnitude.
    """
    gen = torch.Generator().manual_seed(seed)
    for name, tensor in model.named_parameters():
        if tensor.dim() > 1:
            tensor.copy_(torch.randn(tensor.shape, generator=gen) * (2 / tensor[0].numel())**0.5)
        elif name.endswith('weight'):
            tensor.copy_(torch.rand(tensor.shape, generator=gen) + 0.5)
        else:
            tensor.copy_(torch.randn(tensor.shape, generator=gen) * 0.1)
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for m in norms:
        m.momentum = 1.0
    model.train()
    model(clip)
    for m in norms:
        m.momentum = 0.1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--official-repo', required=True, help='checkout of whwu95/MVFNet')
    parser.add_argument('--depth', type=int, default=50)
    parser.add_argument('--frames', type=int, default=4, help='frames per clip (n_segment)')
    parser.add_argument('--clips', type=int, default=2)
    parser.add_argument('--size', type=int, default=112, help='frame side in pixels')
    parser.add_argument('--mode', default='THW', choices=['THW', 'TH', 'T'])
    parser.add_argument('--share', action='store_true')
    parser.add_argument('--alpha', type=float, default=0.125)
    parser.add_argument('--mvf-freq', type=int, nargs=4, default=[0, 0, 1, 1])
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--rtol', type=float, default=1e-4,
                        help='tolerance relative to the largest official feature')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(1)
    official_resnet, make_multi_view_fusion = load_official(args.official_repo)
    official = official_resnet(args.depth, out_indices=(3, ), norm_eval=False)
    make_multi_view_fusion(official, args.frames, args.alpha, mvf_freq=tuple(args.mvf_freq),
                           share=args.share, mode=args.mode)
    clip = lambda seed: torch.randn(  # noqa: E731
        args.clips * args.frames, 3, args.size, args.size,
        generator=torch.Generator().manual_seed(seed))
    randomise(official, clip(args.seed + 1), args.seed)

    ours = ResNetMVF(args.depth, num_segments=args.frames, mvf_freq=args.mvf_freq,
                     alpha=args.alpha, mode=args.mode, share=args.share)
    converted = convert_state_dict(
        {f'backbone.{k}': v for k, v in official.state_dict().items()})
    ours.load_state_dict({k[len('backbone.'):]: v for k, v in converted.items()}, strict=True)

    x = clip(args.seed + 2)
    diffs, scale = [], 0.0
    for train in (False, True):
        official.train(train)
        ours.train(train)
        with torch.no_grad():
            ref, out = official(x), ours(x)
        diff = (ref - out).abs().max().item()
        print(f"{'train' if train else 'eval'} mode: features {tuple(out.shape)}, "
              f'max |official| = {ref.abs().max().item():.4g}, max abs diff = {diff:.3g}')
        diffs.append(diff)
        scale = max(scale, ref.abs().max().item())
    max_diff, tolerance = max(diffs), args.rtol * max(scale, 1.0)
    print(f'tolerance: max_abs_diff <= {args.rtol:g} x max |official features| = '
          f'{tolerance:.3g} (float32 rounding)')
    print(f'max_abs_diff={max_diff:.3g}')
    return 0 if max_diff <= tolerance else 1


if __name__ == '__main__':
    sys.exit(main())
