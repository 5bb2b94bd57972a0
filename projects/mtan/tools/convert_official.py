"""Converts weights of the official SegNet models (github.com/lorenmt/mtan, ``im2im_pred``) to
this project's :class:`~projects.mtan.models.MTAN` layout.

The official trainers save no checkpoint; a state dict saved from one of their models
(``torch.save(SegNet_MTAN.state_dict(), PATH)``) converts as follows (``k`` the encoder level,
``j = 4 - k`` the decoder stage, deepest first, ``t`` the task)::

    official                                here
    encoder_block.k.{0,1}.*                 backbone.enc_first.k.{conv,bn}.*
    conv_block_enc.k.{0,1}.*     (k < 2)    backbone.enc_rest.k.0.{conv,bn}.*
    conv_block_enc.k.m.{0,1}.*   (k >= 2)   backbone.enc_rest.k.m.{conv,bn}.*
    decoder_block.k.{0,1}.*                 backbone.dec_first.j.{conv,bn}.*
    conv_block_dec.k[.m].{0,1}.*            backbone.dec_rest.j.m.{conv,bn}.*
    encoder_att.t.k.{0,1,3,4}.*             attention.encoder_att.t.k.{squeeze,excite}.{conv,bn}.*
    decoder_att.t.k.{0,1,3,4}.*             attention.decoder_att.t.j.{squeeze,excite}.{conv,bn}.*
    encoder_block_att.k.{0,1}.*             attention.encoder_shared.k.{conv,bn}.*
    decoder_block_att.k.{0,1}.*             attention.decoder_shared.j.{conv,bn}.*
    pred_task{1,2,3}.{0,1}.*                heads.{seg,depth,normal}.{conv,pred}.*
    pred_task.{0,1}.*  (single task)        heads.<--task>.{conv,pred}.*
    logsigma                                checkpoint['loss_weighting']['log_vars']

``logsigma`` (uncertainty weighting) goes where :class:`LossWeightingHook` keeps it. A
``module.`` prefix is dropped; any other key is an error.

Example::

    python projects/mtan/tools/convert_official.py segnet_mtan.pth mtan_segnet_nyuv2.pth
"""
from __future__ import annotations

import argparse
import os.path as osp
import sys
from collections import OrderedDict

import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.common.benchmark import read_official_checkpoint  # noqa: E402

TASKS = ('seg', 'depth', 'normal')
CONV_BN = {'0': 'conv', '1': 'bn'}
ATTENTION = {'0': 'squeeze.conv', '1': 'squeeze.bn', '3': 'excite.conv', '4': 'excite.bn'}
HEAD = {'0': 'conv', '1': 'pred'}


def convert_key(key: str, task: str = 'seg') -> str:
    """This project's name of an official parameter (``task``: that of a single-task net).

    Raises:
        KeyError: If ``key`` is no parameter of an official SegNet model.
    """
    parts = key.split('.')
    name = parts[0]
    try:
        if name in ('encoder_block', 'decoder_block', 'encoder_block_att',
                    'decoder_block_att'):
            level, layer, rest = parts[1], parts[2], parts[3:]
            index = level if name.startswith('encoder') else str(4 - int(level))
            prefix = dict(encoder_block='backbone.enc_first', decoder_block='backbone.dec_first',
                          encoder_block_att='attention.encoder_shared',
                          decoder_block_att='attention.decoder_shared')[name]
            return '.'.join([prefix, index, CONV_BN[layer], *rest])
        if name in ('conv_block_enc', 'conv_block_dec'):
            level = int(parts[1])
            # Levels 0 and 1 hold one conv layer, deeper ones a Sequential of two.
            conv, layer, rest = ('0', parts[2], parts[3:]) if level < 2 else \
                (parts[2], parts[3], parts[4:])
            prefix, index = (('backbone.enc_rest', level) if name.endswith('enc') else
                             ('backbone.dec_rest', 4 - level))
            return '.'.join([prefix, str(index), conv, CONV_BN[layer], *rest])
        if name in ('encoder_att', 'decoder_att'):
            t, level, layer, rest = parts[1], int(parts[2]), parts[3], parts[4:]
            index = level if name == 'encoder_att' else 4 - level
            return '.'.join([f'attention.{name}', t, str(index), ATTENTION[layer], *rest])
        if name.startswith('pred_task'):
            head = task if name == 'pred_task' else TASKS[int(name[len('pred_task'):]) - 1]
            return '.'.join(['heads', head, HEAD[parts[1]], *parts[2:]])
    except (IndexError, KeyError, ValueError):
        pass
    raise KeyError(f'{key!r} is not a parameter of an official SegNet model '
                   '(model_segnet_{mtan,split,single}.py).')


def convert_state_dict(state_dict: dict, task: str = 'seg') -> tuple[OrderedDict, dict]:
    """(model state dict, loss-weighting state) of this project from an official one."""
    converted, weighting = OrderedDict(), {}
    for key, value in state_dict.items():
        key = key[len('module.'):] if key.startswith('module.') else key
        if key == 'logsigma':
            weighting['log_vars'] = value.clone()
        else:
            converted[convert_key(key, task)] = value
    return converted, weighting


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='state dict of an official SegNet model (.pth)')
    parser.add_argument('dst', help='mmengine checkpoint to write')
    parser.add_argument('--task', default='seg', choices=TASKS,
                        help='the task of a single-task model (pred_task)')
    args = parser.parse_args(argv)
    state, _ = read_official_checkpoint(args.src)
    converted, weighting = convert_state_dict(state, args.task)
    checkpoint = dict(state_dict=converted, meta=dict(converted_from=args.src))
    if weighting:
        checkpoint['loss_weighting'] = weighting
    torch.save(checkpoint, args.dst)
    print(f'{len(converted)} tensors written to {args.dst}')


if __name__ == '__main__':
    main()
