"""Converts an official AdaFocusV2 checkpoint (ActivityNet / FCVID / Mini-Kinetics design)
into an MMPlug one.

The official checkpoints (``scripts/download_ckpt.sh`` of github.com/LeapLabTHU/AdaFocusV2,
folder "Experiments on ActivityNet, FCVID and Mini-Kinetics") hold the state dict of
``models/adafocus_v2.py``'s ``AdaFocus`` (possibly under ``module.``). Every key is mapped
explicitly to the model of the ``adafocusv2_mbv2-r50_*`` configs:

=============================================  ============================================
official                                        MMPlug
=============================================  ============================================
``global_CNN.features.0`` (conv, BN)            ``global_encoder.conv1.{conv,bn}``
``global_CNN.features.1..17`` (inverted         ``global_encoder.layer1..7.<j>.conv.<k>``
residuals; their (conv, BN) pairs in order)     ``.{conv,bn}`` (mmaction2's MobileNetV2)
``global_CNN.features.18``                      ``global_encoder.conv2.{conv,bn}``
``local_CNN.{conv1,bn1}``, ``layerX.Y.convZ``,  ``local_encoder.conv1.{conv,bn}``,
``bnZ``, ``downsample.{0,1}`` (torchvision)     ``layerX.Y.convZ.{conv,bn}``,
                                                ``layerX.Y.downsample.{conv,bn}``
``policy_stn.encoder.{0,1}``                    ``policy.reduce.{0,1}`` (1x1 conv, BN)
``policy_stn.encoder.{4,5}``                    ``policy.mlp.{0,1}`` (Linear, BN1d)
``policy_stn.gru``                              ``policy.gru``
``policy_stn.fc.0``                             ``policy.head.0``, **rows swapped**
``classifier.mlp.layers.{0,1}``                 ``classifier.mlp.{0,1}``
``classifier.classifiers.<t>.1``                ``classifier.heads.<t>.1``
``global_CNN_fc.1``, ``local_CNN_fc.1``         ``global_encoder_fc.1``, ``local_encoder_fc.1``
=============================================  ============================================

The checkpoints with a ResNet-50 glance (``actnet_p{96,128,160}_res50``, ``fcvid_p128_res50``,
``minik_p128_res50``: ``--glance_arch res50``) map ``global_CNN.*`` like ``local_CNN.*`` into
the ``adafocusv2_r50-r50_*`` configs' model.

The ImageNet classifiers of the encoders (``global_CNN.classifier`` or ``global_CNN.fc``,
``local_CNN.fc``) are not part of AdaFocusV2 and are dropped; any other unknown key is an
error.

**Something-Something / Jester checkpoints** (folder "Experiments on Sth-Sth and Jester",
``main.py``'s ``AdaFocus`` of two TSM ``TSN`` wrappers: ``sthv1_p128.pth.tar`` ...
``jester_p176.pth.tar``) are recognised by their ``global_CNN.base_model.`` keys and mapped to
the ``adafocusv2-tsm_mbv2-r50_*`` configs' model:

=============================================  ============================================
official (Sth-Sth / Jester)                     MMPlug
=============================================  ============================================
``global_CNN.base_model.features.*``            ``global_encoder.*`` as above; a shifted
                                                block's ``conv.0.net`` (the temporal shift
                                                wraps the Conv2d) → ``conv.0.net.conv`` and
                                                its BN → ``conv.0.net.bn`` (mmaction2's
                                                ``MobileNetV2TSM`` wraps the ConvModule)
``local_CNN.base_model.*`` (torchvision,        ``local_encoder.*`` as above;
shifted ``layerX.Y.conv1.net``)                 ``layerX.Y.conv1.conv.net``
``{global,local}_CNN.new_fc``                   ``classifier.{global,local}_fc.1``
``{global,local}_CNN.new_new_fc``               ``{global,local}_encoder_fc.1``
``policy_stn.{0,1}``                            ``policy.reduce.{0,1}`` (1x1 conv, BN)
``policy_stn.{4,5,7,8}``                        ``policy.mlp.{0,1,3,4}`` (Linear, BN1d)
``policy_stn.10``                               ``policy.head.0``, **rows swapped**
=============================================  ============================================

**Policy axes.** The official action is (row, column): ``get_patches_frame`` places the
patch's top edge at ``a[0] · (H − P)`` and its left edge at ``a[1] · (W − P)``. This
project's actions are (x, y) (:func:`~projects.adafocus_v2.models.patch_crop.crop_patches`),
so the converter swaps the two output rows of the policy's last linear layer; the same
patches are cut.

Example::

    python projects/adafocus_v2/tools/convert_official.py actnet_p128.pth.tar \\
        checkpoints/adafocus_v2/actnet_p128_mmplug.pth
"""
from __future__ import annotations

import argparse
import os.path as osp
import re
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))


from projects.common import benchmark as harness  # noqa: E402

# Inverted-residual blocks per stage of MobileNetV2 (t, c, n, s settings: n = 1,2,3,4,3,3,1).
MBV2_STAGES = (1, 2, 3, 4, 3, 3, 1)
DIRECT = {
    'policy_stn.encoder.0.': 'policy.reduce.0.',
    'policy_stn.encoder.1.': 'policy.reduce.1.',
    'policy_stn.encoder.4.': 'policy.mlp.0.',
    'policy_stn.encoder.5.': 'policy.mlp.1.',
    'policy_stn.gru.': 'policy.gru.',
    'policy_stn.fc.0.': 'policy.head.0.',
    'classifier.mlp.layers.0.': 'classifier.mlp.0.',
    'classifier.mlp.layers.1.': 'classifier.mlp.1.',
    'global_CNN_fc.1.': 'global_encoder_fc.1.',
    'local_CNN_fc.1.': 'local_encoder_fc.1.',
}
STH_DIRECT = {
    'policy_stn.0.': 'policy.reduce.0.',
    'policy_stn.1.': 'policy.reduce.1.',
    'policy_stn.4.': 'policy.mlp.0.',
    'policy_stn.5.': 'policy.mlp.1.',
    'policy_stn.7.': 'policy.mlp.3.',
    'policy_stn.8.': 'policy.mlp.4.',
    'policy_stn.10.': 'policy.head.0.',
    'global_CNN.new_fc.': 'classifier.global_fc.1.',
    'local_CNN.new_fc.': 'classifier.local_fc.1.',
    'global_CNN.new_new_fc.': 'global_encoder_fc.1.',
    'local_CNN.new_new_fc.': 'local_encoder_fc.1.',
}
# The last layer of the policy: its two output rows are (row, column) in the official code.
POLICY_OUT = ('policy_stn.fc.0.', 'policy_stn.10.')
DROPPED = re.compile(r'^(global_CNN\.(classifier|fc)|local_CNN\.fc)\.(weight|bias)$')
BN_PARAMS = ('weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked')


def mbv2_block(index: int) -> str:
    """``features.<index>`` (1..17) → ``layer<i>.<j>`` of mmaction2's MobileNetV2."""
    for stage, blocks in enumerate(MBV2_STAGES, start=1):
        if index <= blocks:
            return f'layer{stage}.{index - 1}'
        index -= blocks
    raise KeyError(f'MobileNetV2 has 17 inverted residual blocks, got features.{index}')


def convert_mobilenet(name: str, state: dict, prefix: str = 'global_CNN.') -> str:
    """One key of the official MobileNetV2 (below ``prefix``) → mmaction2's name.

    Inside a block, ``conv.<i>`` holds convs, BNs and ReLU6s; the k-th (conv, BN) pair becomes
    the k-th ConvModule ``conv.<k>.{conv,bn}``. In a block whose first convolution carries the
    temporal shift (``conv.0.net``), the first ConvModule is the shifted one:
    ``conv.0.net.{conv,bn}`` (mmaction2's ``MobileNetV2TSM``).
    """
    parts = name.split('.')
    if parts[0] != 'features':
        raise KeyError(name)
    index = int(parts[1])
    if index == 0 or index == 18:
        sub = {'0': 'conv', '1': 'bn'}[parts[2]]
        return f"{'conv1' if index == 0 else 'conv2'}.{sub}.{parts[3]}"
    if parts[2] != 'conv':
        raise KeyError(name)
    block = f'{prefix}features.{index}.conv.'
    # Positions of the block's weighted layers (conv, BN alternating) in its Sequential.
    layer_ids = sorted({int(k[len(block):].split('.')[0]) for k in state
                        if k.startswith(block)})
    shifted = any(k.startswith(f'{block}0.net.') for k in state)
    position = layer_ids.index(int(parts[3]))
    kind = 'conv' if position % 2 == 0 else 'bn'
    param = parts[-1]
    module = f'{position // 2}.net' if shifted and position < 2 else f'{position // 2}'
    return f'{mbv2_block(index)}.conv.{module}.{kind}.{param}'


def convert_resnet(name: str) -> str:
    """One key of torchvision's ResNet (below ``local_CNN.``) → mmaction2's ResNet name; a
    temporally shifted ``convK.net`` (TSM) becomes ``convK.conv.net`` (``ResNetTSM``)."""
    m = re.fullmatch(r'(conv1|bn1)\.(\w+)', name)
    if m:
        return f"conv1.{'conv' if m[1] == 'conv1' else 'bn'}.{m[2]}"
    m = re.fullmatch(r'(layer\d\.\d+)\.conv(\d)\.net\.(\w+)', name)
    if m:
        return f'{m[1]}.conv{m[2]}.conv.net.{m[3]}'
    m = re.fullmatch(r'(layer\d\.\d+)\.(conv|bn)(\d)\.(\w+)', name)
    if m:
        return f'{m[1]}.conv{m[3]}.{m[2]}.{m[4]}'
    m = re.fullmatch(r'(layer\d\.\d+)\.downsample\.([01])\.(\w+)', name)
    if m:
        return f"{m[1]}.downsample.{'conv' if m[2] == '0' else 'bn'}.{m[3]}"
    raise KeyError(name)


def new_key(key: str, state: dict) -> str:
    """This project's name of one official key (``state``: the whole official state dict).

    Raises:
        KeyError: For a key this converter does not know.
    """
    m = re.fullmatch(r'classifier\.classifiers\.(\d+)\.1\.(weight|bias)', key)
    if m:
        return f'classifier.heads.{m[1]}.1.{m[2]}'
    if is_sth(state):
        return sth_key(key, state)
    try:
        if key.startswith('global_CNN.'):
            name = key[len('global_CNN.'):]
            # A MobileNetV2 glance has `features`; the ResNet-50 one ("RN") torchvision names.
            return 'global_encoder.' + (convert_mobilenet(name, state)
                                        if name.startswith('features.') else
                                        convert_resnet(name))
        if key.startswith('local_CNN.'):
            return 'local_encoder.' + convert_resnet(key[len('local_CNN.'):])
    except (KeyError, ValueError, IndexError):
        pass
    else:
        for prefix, new in DIRECT.items():
            if key.startswith(prefix):
                return new + key[len(prefix):]
    raise KeyError(f"Unknown AdaFocusV2 key {key!r}: not a part of the official "
                   "models/adafocus_v2.py's AdaFocus.")


def is_sth(state: dict) -> bool:
    """Whether ``state`` is a Sth-Sth / Jester checkpoint (two TSM ``TSN`` wrappers)."""
    return any(k.startswith('global_CNN.base_model.') for k in state)


def sth_key(key: str, state: dict) -> str:
    """This project's name of one key of a Sth-Sth / Jester checkpoint."""
    try:
        if key.startswith('global_CNN.base_model.'):
            return 'global_encoder.' + convert_mobilenet(
                key[len('global_CNN.base_model.'):], state, 'global_CNN.base_model.')
        if key.startswith('local_CNN.base_model.'):
            return 'local_encoder.' + convert_resnet(key[len('local_CNN.base_model.'):])
    except (KeyError, ValueError, IndexError):
        pass
    else:
        for prefix, new in STH_DIRECT.items():
            if key.startswith(prefix):
                return new + key[len(prefix):]
    raise KeyError(f"Unknown AdaFocusV2 key {key!r}: not a part of the official Sth-Sth / "
                   "Jester main.py's AdaFocus.")


def convert_state_dict(state: dict) -> dict:
    """Official ``AdaFocus`` state dict → this project's ``AdaFocusV2`` state dict.

    Raises:
        KeyError: For a key this converter does not know.
    """
    state = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}
    out = {}
    for key, value in state.items():
        if DROPPED.match(key):
            continue
        if key.startswith(POLICY_OUT):
            value = value.flip(0)  # (row, column) → (x, y)
        out[new_key(key, state)] = value
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='official checkpoint')
    parser.add_argument('dst', help='output MMPlug checkpoint')
    args = parser.parse_args(argv)
    state, _ = harness.read_official_checkpoint(args.src)
    harness.write_converted(convert_state_dict(state), args.dst, args.src)


if __name__ == '__main__':
    main()
