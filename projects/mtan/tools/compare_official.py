"""Compares this project's MTAN with the official SegNet-MTAN on the same weights.

Builds the official ``SegNet`` of ``im2im_pred/model_segnet_mtan.py`` (or, with ``--arch``,
of ``model_segnet_split.py`` / ``model_segnet_single.py``) from a checkout of
github.com/lorenmt/mtan. Those files parse arguments and load NYUv2 at import, so only the
``SegNet`` class definition is executed (picked out with ``ast``; nothing is copied), with the
parsed options it reads (``opt.type``, ``opt.task``) given here. The official model gets
random values in every tensor (batch-norm statistics included, so that every tensor matters);
the same weights go through ``convert_official.py`` into the model of the matching paper
config, loaded strictly. Both run in eval mode on the same random images; the script prints
the largest absolute difference of each task output (log-probabilities, depth, normals) and,
as its last line, ``max_abs_diff=<value>``. The exit status is 0 when every difference is at
most ``--rtol`` (default 1e-4, float32 rounding) times the largest official value of that
output, 1 otherwise.

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

from projects.common.benchmark import compare_outputs, randomise_weights, sibling_tool  # noqa: E402
from projects.mtan.models import MTAN  # noqa: E402

convert_state_dict = sibling_tool(__file__, 'convert_official').convert_state_dict

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
            task: str = 'seg', rtol: float = 1e-4) -> int:
    """Prints the differences of the outputs of both models; returns the exit status."""
    filename, config = ARCHS[arch]
    opt = types.SimpleNamespace(type='standard', task=OFFICIAL_TASKS[task])
    official = load_official_class(repo, filename, opt)()
    randomise_weights(official, seed)
    tasks = (task, ) if arch == 'single' else None
    ours = build_ours(config, tasks)
    state, weighting = convert_state_dict(official.state_dict(), task)
    ours.load_state_dict(state, strict=True)
    official.eval()
    ours.eval()
    images = torch.rand(batch, 3, *size, generator=torch.Generator().manual_seed(seed + 1))
    refs = official(images)
    refs = dict(zip(ours.tasks, refs[0] if isinstance(refs, tuple) else [refs], strict=True))
    if weighting:
        print(f'logsigma carried over: {weighting["log_vars"].tolist()}')
    return compare_outputs(ours(images), refs, rtol)


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
    parser.add_argument('--rtol', type=float, default=1e-4,
                        help='tolerance relative to the largest official output')
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    return compare(args.official_repo, tuple(args.size), args.batch, args.seed, args.arch,
                   args.task, args.rtol)


if __name__ == '__main__':
    sys.exit(main())
