"""Compares ISTFCNet and the partition / write-back with the official IST code.

Loads ``distributed_3layer_subnet_centralized_ps_gloo.py`` (or the 2-layer one) from a
checkout of BinhangYuan/IST_Release (its data loader, which needs librosa and the speech data,
is replaced by an empty module; nothing else of it runs), then on the same weights:

1. forward: the official ``DNNGoogleSpeechBatchNorm{2,3}Layer`` against :class:`ISTFCNet`
   (train mode: batch statistics, as both always use);
2. partition: the official ``partition_to_list`` draws the groups; the subnets it cuts
   (``fc1_weight_partition``, ...) against :func:`take` with the same groups;
3. write-back: every official subnet is changed (``2 x + i``) and written back by the
   official ``flush``; :func:`put` does the same on our model; the full models are compared.

Example::

    git clone https://github.com/BinhangYuan/IST_Release /tmp/IST_Release
    python projects/ist/tools/compare_official.py --official /tmp/IST_Release --layers 3
"""
from __future__ import annotations

import argparse
import importlib.util
import os.path as osp
import random
import sys
import types

import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.ist.engine.partition import put, take  # noqa: E402
from projects.ist.models import ISTFCNet  # noqa: E402


def load_official(root: str, layers: int) -> types.ModuleType:
    path = osp.join(root, f'distributed_{layers}layer_subnet_centralized_ps_gloo.py')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path!r} not found: --official must be a checkout of '
                                'BinhangYuan/IST_Release.')
    sys.modules.setdefault('google_speech_data_loader', types.ModuleType('stub'))
    sys.path.insert(0, root)  # for its `from ist_utilis import *`
    spec = importlib.util.spec_from_file_location(f'official_{layers}layer', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compare(root: str, layers: int, in_channels: int, width: int, classes: int,
            subnets: int, seed: int = 0) -> dict[str, float]:
    official = load_official(root, layers)
    cls = getattr(official, f'DNNGoogleSpeechBatchNorm{layers}Layer')
    torch.manual_seed(seed)
    theirs = cls(partition_num=subnets, sample_size=in_channels, model_size=width,
                 label_num=classes)
    ours = ISTFCNet(in_channels, [width] * (layers - 1), classes)
    # Our names for the official parameters, in order fc1, bn1, fc2, bn2, (fc3).
    names = {'fc1.weight': 'fcs.0.weight', 'bn1.weight': 'bns.0.weight',
             'bn1.bias': 'bns.0.bias'}
    if layers == 3:
        names.update({'fc2.weight': 'fcs.1.weight', 'bn2.weight': 'bns.1.weight',
                      'bn2.bias': 'bns.1.bias', 'fc3.weight': 'fc_out.weight'})
    else:
        names['fc2.weight'] = 'fc_out.weight'
    ours.load_state_dict({names[k]: v for k, v in theirs.state_dict().items()}, strict=True)
    x = torch.randn(16, in_channels)
    result = dict(forward_max_abs_diff=(theirs(x) - ours(x)).abs().max().item())

    random.seed(seed)
    theirs.partition_to_list()
    logs = ([theirs.hidden_layer_index_log] if layers == 2 else
            [theirs.hidden_layer_index_log1, theirs.hidden_layer_index_log2])
    groups = [torch.stack(log) for log in logs]
    pieces = {'fc1.weight': theirs.fc1_weight_partition, 'bn1.weight': theirs.bn1_weight_partition,
              'bn1.bias': theirs.bn1_bias_partition, 'fc2.weight': theirs.fc2_weight_partition}
    if layers == 3:
        pieces.update({'bn2.weight': theirs.bn2_weight_partition,
                       'bn2.bias': theirs.bn2_bias_partition,
                       'fc3.weight': theirs.fc3_weight_partition})
    axes = ours.hidden_axes()
    params = dict(ours.named_parameters())
    slice_diff = 0.0
    for name, parts in pieces.items():
        ours_name = names[name]
        for i, part in enumerate(parts):
            mine = take(params[ours_name], axes[ours_name], groups, i)
            slice_diff = max(slice_diff, (mine - part).abs().max().item())
            parts[i] = 2 * part + i
            put(params[ours_name], axes[ours_name], groups, i, parts[i])
    theirs.flush()
    result['slice_max_abs_diff'] = slice_diff
    result['write_back_max_abs_diff'] = max(
        (theirs.state_dict()[k] - params[v]).abs().max().item() for k, v in names.items())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--official', required=True, help='checkout of IST_Release')
    parser.add_argument('--layers', type=int, choices=(2, 3), default=3)
    parser.add_argument('--in-channels', type=int, default=4096)
    parser.add_argument('--width', type=int, default=4096)
    parser.add_argument('--classes', type=int, default=35)
    parser.add_argument('--subnets', type=int, default=4)
    args = parser.parse_args()
    result = compare(args.official, args.layers, args.in_channels, args.width, args.classes,
                     args.subnets)
    for key, value in result.items():
        print(f'{key}: {value:.3g}')


if __name__ == '__main__':
    main()
