"""Compares this project's JCA model with the official one on the same weights.

Builds the official networks from a checkout of the T-BIOM code
(github.com/praveena2j/Joint-Cross-Attention-for-Audio-Visual-Fusion): the TSAV two-stream
backbones of ``models/tsav.py`` (``TwoStreamAuralVisualModel(num_channels=4)`` with the stem
cut to 3 channels as the official ``main.py`` does) and the fusion ``CAM`` of
``models/cam.py`` (on the pooled 512-d video feature: the checkout's two-stream model
removes torchvision's average pool for its newer ``orig_cam`` fusion, and the tool puts it
back, since ``cam.py``'s ``encoder2`` is a 512→128 layer). Every official tensor (batch-norm
statistics included) gets random values; the same weights go into the model of
``jca-as-coded_r2plus1d-18-r18_1xb96-30e_affwild2-va.py`` (L set to the official CAM's)
through ``convert_official.py``, strictly. Both run in eval mode on the same face clips and
spectrograms; the tool prints the largest absolute difference of the audio and visual
features, of the attended features (``W_ha``/``W_hv`` outputs, read with hooks) and of the
valence/arousal outputs. The last line is ``max_abs_diff=<value>`` (over everything); the
exit status is 0 when each difference is at most ``--rtol`` (default 1e-5) times the largest
official value it is compared with: float32 rounding, since the official code loops over
the batch with ``torch.mm`` where this project uses batched matmuls.

torchvision's ``r2plus1d_18(pretrained=True)`` in ``tsav.py`` would download weights that
are overwritten anyway; the tool builds it with ``weights=None``. Nothing of the checkout is
copied.

Example::

    python projects/jca_fusion/tools/compare_official.py --official-repo /path/to/checkout
"""
from __future__ import annotations

import argparse
import importlib.util
import os.path as osp
import sys
from unittest import mock

import torch
from torch import nn

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

from projects.common import benchmark as harness  # noqa: E402

convert_cam = harness.sibling_tool(__file__, 'convert_official').convert_cam
convert_tsav = harness.sibling_tool(__file__, 'convert_official').convert_tsav

CONFIG = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs',
                  'jca-as-coded_r2plus1d-18-r18_1xb96-30e_affwild2-va.py')


def load_module(path: str, name: str):
    """Imports one official file by path (its package ``__init__`` is never run)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path!r} not found: is --official-repo a checkout of '
                                'Joint-Cross-Attention-for-Audio-Visual-Fusion?')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_official(repo: str) -> tuple[nn.Module, nn.Module]:
    """The official TSAV two-stream model (3-channel stem) and CAM."""
    import torchvision
    tsav = load_module(osp.join(repo, 'models', 'tsav.py'), 'official_tsav')
    cam = load_module(osp.join(repo, 'models', 'cam.py'), 'official_cam')
    r2plus1d_18 = torchvision.models.video.r2plus1d_18
    offline = lambda pretrained=False, **kw: r2plus1d_18(weights=None, **kw)  # noqa: E731
    with mock.patch.object(torchvision.models.video, 'r2plus1d_18', offline):
        two_stream = tsav.TwoStreamAuralVisualModel(num_channels=4)
    stem = two_stream.video_model.r2plus1d.stem[0]
    rgb = nn.Conv3d(3, stem.out_channels, stem.kernel_size, stem.stride, stem.padding,
                    bias=False)
    rgb.weight.data = stem.weight.data[:, :3]
    two_stream.video_model.r2plus1d.stem[0] = rgb
    # The checkout's two-stream model drops the video average pool (a 25088-d map for its
    # newer orig_cam fusion); cam.py's encoder2 reads the pooled 512-d feature.
    two_stream.video_model.r2plus1d.avgpool = nn.AdaptiveAvgPool3d(1)
    return two_stream, cam.CAM()


def build_ours(num_segments: int, state: dict) -> nn.Module:
    from mmengine.config import Config
    from mmengine.registry import MODELS, init_default_scope

    import projects.jca_fusion  # noqa: F401
    cfg = Config.fromfile(CONFIG)
    cfg.model.fusion.num_segments = num_segments
    for enc in ('visual_encoder', 'audio_encoder'):
        cfg.model[enc].init_cfg = None
    init_default_scope('mmaction')
    model = MODELS.build(cfg.model)
    model.load_state_dict(state, strict=True)
    return model.eval()


def capture(module: nn.Module, names: tuple[str, ...]) -> dict:
    """Registers hooks storing the outputs of the named submodules."""
    outputs = {}
    for name in names:
        getattr(module, name).register_forward_hook(
            lambda m, i, o, name=name: outputs.setdefault(name, []).append(o.detach()))
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--official-repo', required=True, help='checkout of the T-BIOM code')
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--frames', type=int, default=4, help='frames per sub-sequence')
    parser.add_argument('--rtol', type=float, default=1e-5)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)

    two_stream, cam = build_official(args.official_repo)
    harness.randomise_weights(two_stream, args.seed)
    harness.randomise_weights(cam, args.seed + 1)
    two_stream.eval()
    cam.eval()
    length = cam.affine_a.in_features
    state = convert_tsav(two_stream.state_dict())
    state.update(convert_cam(cam.state_dict()))
    ours = build_ours(length, state)

    gen = torch.Generator().manual_seed(args.seed + 2)
    video = torch.randn(args.batch, length, 3, args.frames, 112, 112, generator=gen)
    audio = torch.randn(args.batch, length, 1, 64, 40, generator=gen)
    theirs_hooks = capture(cam, ('W_ha', 'W_hv'))
    with torch.no_grad():
        theirs = dict(
            audio=torch.stack([two_stream.audio_model(a) for a in audio]),
            visual=torch.stack([two_stream.video_model(v) for v in video]))
        v_out, a_out = cam(theirs['audio'], theirs['visual'])
        theirs['valence'], theirs['arousal'] = v_out.squeeze(-1), a_out.squeeze(-1)
        # (H_m W_hm)ᵀ + X_m with the official loop's per-clip outputs stacked.
        theirs['attended_audio'] = torch.stack(theirs_hooks['W_ha']).transpose(1, 2)
        theirs['attended_visual'] = torch.stack(theirs_hooks['W_hv']).transpose(1, 2)

        raw = {'audio': ours.encoders['audio'](audio), 'visual': ours.encoders['visual'](video)}
        proj = {m: ours.projections[m](raw[m]) for m in raw}
        fusion = ours.fusion
        ref_a, ref_v = fusion.references(proj['audio'], proj['visual'])
        att_a, _ = fusion.attend(proj['audio'], ref_a, fusion.W_ja, fusion.W_a, fusion.W_ca,
                                 fusion.W_ha)
        att_v, _ = fusion.attend(proj['visual'], ref_v, fusion.W_jv, fusion.W_v, fusion.W_cv,
                                 fusion.W_hv)
        preds = ours.head(fusion(proj['audio'], proj['visual'], raw_v=raw['visual']))
        mine = dict(audio=raw['audio'], visual=raw['visual'],
                    attended_audio=att_a - proj['audio'], attended_visual=att_v - proj['visual'],
                    valence=preds['valence'], arousal=preds['arousal'])

    return harness.compare_outputs(mine, theirs, args.rtol)

if __name__ == '__main__':
    sys.exit(main())
