"""Converts the official JCA / TSAV checkpoints into an MMPlug ``AVEmotionRegressor`` one.

Two released files feed the paper configs:

- the TSAV two-stream model of Kuhnke et al. (``TSAV_Sub4_544k.pth.tar``, loaded by the
  official T-BIOM ``main.py`` into ``models/tsav.py``'s ``TwoStreamAuralVisualModel``): its
  ``video_model.r2plus1d.*`` become ``encoders.visual.backbone.*`` (:class:`R2Plus1dTSAV`,
  torchvision's names) and its ``audio_model.resnet.*`` become ``encoders.audio.backbone.*``
  (mmpretrain's ResNet-18 has torchvision's names). TSAV's stem takes 4 channels (RGB and a
  face mask); the official ``main.py`` keeps the first 3 of its weights, and so does this
  converter unless ``--keep-4-channels``. TSAV's own 17-way ``fc`` is not used by JCA and is
  dropped.
- optionally the fusion model (``--cam``, the ``net`` entry of the official ``models/cam.py``
  ``CAM`` checkpoints, e.g. ``jointcam_model.pt``): ``encoder1``/``encoder2`` (the 512→128
  projections of audio and video), ``affine_a``/``affine_v`` (W_ja/W_jv), ``W_a``, ``W_v``,
  ``W_ca``, ``W_cv``, ``W_ha``, ``W_hv``, and the ``vregressor``/``aregressor`` (T-BIOM) or
  the single ``regressor`` of the CVPR-W code (``--dimension`` says which one it regresses).

Every key is mapped explicitly; a key this script does not know is an error (nothing is
dropped silently). A ``module.`` prefix (DataParallel) is removed. The output loads strictly
into the model of ``jca-as-coded_r2plus1d-18-r18_1xb96-30e_affwild2-va.py`` (the official
cam.py concatenates the raw visual feature, see the README), or, with ``--cam`` left out,
into the two encoders through their ``init_cfg`` (``prefix='encoders.visual.'`` /
``'encoders.audio.'``, as in the paper configs).

Example::

    python projects/jca_fusion/tools/convert_official.py TSAV_Sub4_544k.pth.tar \\
        checkpoints/jca_fusion/tsav_sub4_544k_mmplug.pth
"""
from __future__ import annotations

import argparse
import os.path as osp
import re
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))


from projects.common import benchmark as harness  # noqa: E402

FUSION_KEYS = {
    'encoder1': 'projections.audio', 'encoder2': 'projections.visual',
    'affine_a': 'fusion.W_ja', 'affine_v': 'fusion.W_jv',
    'W_a': 'fusion.W_a', 'W_v': 'fusion.W_v', 'W_ca': 'fusion.W_ca', 'W_cv': 'fusion.W_cv',
    'W_ha': 'fusion.W_ha', 'W_hv': 'fusion.W_hv',
    'vregressor': 'head.regressors.valence', 'aregressor': 'head.regressors.arousal',
}
DROPPED_TSAV = re.compile(r'^fc\.1\.(weight|bias)$')  # TSAV's 17-way expression/VA head


def _strip(state: dict) -> dict:
    return {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}


def convert_tsav(state: dict, keep_4_channels: bool = False) -> dict:
    """TSAV ``TwoStreamAuralVisualModel`` state dict → the encoders' keys.

    Raises:
        KeyError: For a key that is neither a TSAV stream's nor its dropped ``fc``.
    """
    out = {}
    for key, value in _strip(state).items():
        if key.startswith('video_model.r2plus1d.'):
            name = key[len('video_model.r2plus1d.'):]
            if name.startswith('fc.'):
                continue  # replaced by an identity in the official two-stream model
            if name == 'stem.0.weight' and value.shape[1] == 4 and not keep_4_channels:
                value = value[:, :3]  # the official main.py keeps the RGB channels
            out[f'encoders.visual.backbone.{name}'] = value
        elif key.startswith('audio_model.resnet.'):
            name = key[len('audio_model.resnet.'):]
            if name.startswith('fc.'):
                continue
            out[f'encoders.audio.backbone.{name}'] = value
        elif DROPPED_TSAV.match(key):
            continue
        else:
            raise KeyError(f'Unknown TSAV key {key!r}: expected video_model.r2plus1d.*, '
                           'audio_model.resnet.* or fc.1.*')
    return out


def convert_cam(state: dict, dimension: str = 'valence') -> dict:
    """Official ``CAM`` state dict → the projections', fusion's and head's keys.

    Args:
        state (dict): The ``net`` entry of an official fusion checkpoint.
        dimension (str): What a single ``regressor`` (CVPR-W code, one model per
            dimension) regresses. Defaults to 'valence'.

    Raises:
        KeyError: For a key outside the official CAM's modules.
    """
    mapping = dict(FUSION_KEYS, regressor=f'head.regressors.{dimension}')
    out = {}
    for key, value in _strip(state).items():
        module, _, rest = key.partition('.')
        if module not in mapping:
            raise KeyError(f'Unknown CAM key {key!r}: expected one of {sorted(mapping)}.')
        out[f'{mapping[module]}.{rest}'] = value
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('tsav', help='official TSAV checkpoint (TSAV_Sub4_544k.pth.tar)')
    parser.add_argument('out', help='output MMPlug checkpoint')
    parser.add_argument('--cam', help="official fusion checkpoint (its 'net' entry)")
    parser.add_argument('--dimension', default='valence', choices=['valence', 'arousal'],
                        help="what a single CVPR-W 'regressor' regresses")
    parser.add_argument('--keep-4-channels', action='store_true',
                        help="keep TSAV's 4-channel stem (RGB + mask input)")
    args = parser.parse_args(argv)
    state = convert_tsav(harness.read_official_checkpoint(args.tsav)[0],
                         args.keep_4_channels)
    if args.cam:
        state.update(convert_cam(harness.read_official_checkpoint(args.cam, 'net')[0],
                                args.dimension))
    harness.write_converted(state, args.out, [args.tsav, args.cam])


if __name__ == '__main__':
    main()
