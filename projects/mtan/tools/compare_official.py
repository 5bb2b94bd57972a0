"""Compares this project's MTAN with the official SegNet-MTAN on the same weights.

Builds the official ``SegNet`` of ``im2im_pred/model_segnet_mtan.py`` (or, with ``--arch``,
of ``model_segnet_split.py`` / ``model_segnet_single.py``) from a checkout of
github.com/lorenmt/mtan. Those files parse arguments and load NYUv2 at import, so only the
``SegNet`` class definition is executed (picked out with ``ast``; nothing is copied), with the
parsed options it reads (``opt.type``, ``opt.task``) given here. The official model gets
random weights (its own Xavier initialisation, then random batch-norm statistics and affine
parameters, so that every tensor matters); the same weights go through
``convert_official.py`` into the model of the matching paper config, loaded strictly. Both run
in eval mode on the same random images; the script prints the largest absolute difference of
the task outputs (log-probabilities, depth, normals) and, as its last line,
``max_abs_diff=<value>``.
The exit status is 0 when it is at most ``--atol`` (default 1e-4, float32 rounding of
different but equivalent summation orders), 1 otherwise.

Example::

    python projects/mtan/tools/compare_official.py --official-repo /path/to/mtan
"""
from __future__ import annotations

import argparse
import ast
import os.path as osp
import sys
import types

import torch
from torch import nn
from torch.nn import functional

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

from convert_official import convert_state_dict  # noqa: E402

from projects.mtan.models import MTAN  # noqa: E402

CONFIGS = osp.join(osp.dirname(__file__), '../configs')
# --arch: (official file, paper config of the same model)
ARCHS = dict(mtan=('model_segnet_mtan.py', 'mtan_segnet_1xb2-200e_nyuv2-13class.py'),
             split=('model_segnet_split.py', 'split_segnet_1xb2-200e_nyuv2-13class.py'),
             single=('model_segnet_single.py', 'single-seg_segnet_1xb2-200e_nyuv2-13class.py'))
OFFICIAL_TASKS = dict(seg='semantic', depth='depth', normal='normal')


def load_official_class(repo: str, filename: str = 'model_segnet_mtan.py',
                        opt: types.SimpleNamespace | None = None) -> type:
    """The official ``SegNet`` class of ``im2im_pred/<filename>``, defined without running the
    script's argument parsing, data loading or training; ``opt`` stands for its parsed
    options."""
    path = osp.join(repo, 'im2im_pred', filename)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path!r} not found: --official-repo must be a checkout of '
                                'lorenmt/mtan.')
    tree = ast.parse(open(path).read(), path)
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == 'SegNet']
    if not classes:
        raise ValueError(f'{path!r} defines no SegNet class.')
    module = ast.Module(body=classes, type_ignores=[])
    namespace = dict(torch=torch, nn=nn, F=functional, opt=opt)
    exec(compile(module, path, 'exec'), namespace)
    return namespace['SegNet']


def randomise_norms(model: nn.Module, generator: torch.Generator) -> None:
    """Random batch-norm statistics and affine parameters (the initial ones are 0 and 1)."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=generator) * 0.1)
            m.running_var.copy_(torch.rand(m.running_var.shape, generator=generator) + 0.5)
            m.weight.data.copy_(torch.rand(m.weight.shape, generator=generator) + 0.5)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=generator) * 0.1)


def build_ours(config: str, tasks: tuple[str, ...] | None = None) -> MTAN:
    """The model of a paper config (with other ``tasks`` if given)."""
    from mmengine.config import Config
    from mmengine.registry import MODELS, init_default_scope
    cfg = Config.fromfile(osp.join(CONFIGS, config))
    if tasks:
        cfg.model.tasks = tasks
    init_default_scope(cfg.default_scope)
    return MODELS.build(cfg.model)


@torch.no_grad()
def compare(repo: str, size: tuple[int, int], batch: int, seed: int, arch: str = 'mtan',
            task: str = 'seg') -> float:
    """The largest absolute difference of the outputs of both models."""
    filename, config = ARCHS[arch]
    opt = types.SimpleNamespace(type='standard', task=OFFICIAL_TASKS[task])
    torch.manual_seed(seed)
    official = load_official_class(repo, filename, opt)()
    randomise_norms(official, torch.Generator().manual_seed(seed))
    tasks = (task, ) if arch == 'single' else None
    ours = build_ours(config, tasks)
    state, weighting = convert_state_dict(official.state_dict(), task)
    ours.load_state_dict(state, strict=True)
    official.eval()
    ours.eval()
    images = torch.rand(batch, 3, *size, generator=torch.Generator().manual_seed(seed + 1))
    refs = official(images)
    refs = dict(zip(ours.tasks, refs[0] if isinstance(refs, tuple) else [refs], strict=True))
    out = ours(images)
    diffs = {name: float((out[name] - ref).abs().max()) for name, ref in refs.items()}
    for name, diff in diffs.items():
        print(f'{name}: max |ours - official| = {diff:.3g}')
    if weighting:
        print(f'logsigma carried over: {weighting["log_vars"].tolist()}')
    return max(diffs.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--official-repo', required=True, help='checkout of lorenmt/mtan')
    parser.add_argument('--arch', default='mtan', choices=sorted(ARCHS))
    parser.add_argument('--task', default='seg', choices=sorted(OFFICIAL_TASKS),
                        help='the task of --arch single')
    parser.add_argument('--size', type=int, nargs=2, default=(96, 128),
                        help='input H W, divisible by 32 (paper: 288 384)')
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--atol', type=float, default=1e-4)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    diff = compare(args.official_repo, tuple(args.size), args.batch, args.seed, args.arch,
                   args.task)
    print(f'max_abs_diff={diff:.3g}')
    return 0 if diff <= args.atol else 1


if __name__ == '__main__':
    sys.exit(main())
