"""The regressor: every variant of the ablation, gradients, frozen encoders, paper size."""
from __future__ import annotations

import glob
import os.path as osp

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import BaseDataElement

from projects.jca_fusion.models import AVEmotionRegressor
from tests.conftest import REPO_ROOT

CONFIGS = osp.join(REPO_ROOT, 'projects/jca_fusion/configs')
TINY = sorted(glob.glob(osp.join(CONFIGS, '*tiny*.py')))
PAPER = osp.join(CONFIGS, 'jca_r2plus1d-18-r18_1xb96-30e_affwild2-va.py')


def build(config: str) -> AVEmotionRegressor:
    init_default_scope('mmaction')
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(config).model)


def batch(b: int = 2, length: int = 8, frames: int = 4, size: int = 32, width: int = 40):
    """Raw inputs as the dataset gives them and labelled data samples."""
    gen = torch.Generator().manual_seed(0)
    inputs = dict(
        video=[torch.randint(0, 256, (length, 3, frames, size, size), generator=gen,
                             dtype=torch.uint8) for _ in range(b)],
        audio=[-30 + 20 * torch.randn(length, 1, 64, width, generator=gen) for _ in range(b)])
    samples = []
    for _ in range(b):
        valid = torch.ones(length, dtype=torch.bool)
        valid[0] = False
        samples.append(BaseDataElement(
            metainfo=dict(video='v'), frame_ids=torch.arange(length),
            gt_valence=torch.rand(length, generator=gen) * 2 - 1,
            gt_arousal=torch.rand(length, generator=gen) * 2 - 1, valid=valid))
    return dict(inputs=inputs, data_samples=samples)


@pytest.mark.parametrize('config', TINY, ids=osp.basename)
def test_every_parameter_gets_a_gradient(config):
    model = build(config)
    model.train()
    data = model.data_preprocessor(batch(), True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_valence', 'loss_arousal'}
    loss = sum(losses.values())
    assert torch.isfinite(loss)
    loss.backward()
    missing = [n for n, p in model.named_parameters() if p.requires_grad and p.grad is None]
    assert not missing


def test_variants_of_the_ablation():
    kinds = {osp.basename(c).split('_')[0]: build(c) for c in TINY}
    assert isinstance(kinds['jca'].fusion, MODELS.get('JointCrossAttention'))
    assert type(kinds['cross-attention'].fusion).__name__ == 'CrossAttention'
    assert type(kinds['concat'].fusion).__name__ == 'ConcatFusion'
    assert kinds['audio-only'].modalities == ('audio', )
    assert kinds['visual-only'].modalities == ('visual', )


def test_predict_gives_one_sample_per_clip_with_per_segment_values():
    model = build(osp.join(CONFIGS, 'jca_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py'))
    model.eval()
    data = model.data_preprocessor(batch(b=3), False)
    with torch.no_grad():
        out = model(**data, mode='predict')
    assert len(out) == 3 and out[0].pred_valence.shape == (8, )
    assert out[0].pred_arousal.shape == (8, )


def test_bad_model_configs():
    with pytest.raises(ValueError, match='needs an audio_encoder'):
        AVEmotionRegressor()
    enc = dict(type='SegmentEncoder', out_channels=8,
               backbone=dict(type='mmpretrain.ResNet', depth=18, base_channels=2,
                             stem_channels=2, in_channels=1))
    init_default_scope('mmaction')
    with pytest.raises(ValueError, match='need a `fusion`'):
        AVEmotionRegressor(audio_encoder=enc, visual_encoder=enc)
    with pytest.raises(ValueError, match='needs both encoders'):
        AVEmotionRegressor(audio_encoder=enc, fusion=dict(type='ConcatFusion'))


def test_paper_config_builds_at_paper_size_and_runs():
    model = build(PAPER)
    encoders = model.encoders
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    # The official TSAV streams: torchvision's r2plus1d_18 without fc (31,300,125) and a
    # 1-channel ResNet-18 (11.17 M).
    assert count(encoders['visual'].backbone) == 31_300_125
    assert count(encoders['audio'].backbone) == pytest.approx(11.17e6, rel=0.01)
    trainable = {n.split('.')[0] for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {'projections', 'fusion', 'head'}  # frozen backbones (official main.py)
    assert model.fusion.W_ca.weight.shape == (32, 256)
    model.train()
    assert not encoders['visual'].backbone.training  # frozen norms stay in eval mode
    model.eval()
    data = model.data_preprocessor(batch(b=1, frames=4, size=32, width=107), False)
    with torch.no_grad():
        preds = model(**data, mode='tensor')
    assert preds['valence'].shape == (1, 8)


def test_frozen_unimodal_configs_load_both_unimodal_encoders(tmp_path):
    """The fair-test configs (``*_frozen-unimodal-*``) read each encoder from its unimodal
    model's checkpoint and keep it frozen; the fusion variants inherit both.

    With torch's ``nn.ModuleDict`` holding the encoders, ``init_weights`` never reached them
    and the checkpoints were silently ignored.
    """
    paths, fills = {}, {'visual': 0.5, 'audio': 0.25}
    for modality, config in (('visual', 'visual-only_r2plus1d-w8'),
                             ('audio', 'audio-only_r18-w8')):
        value = fills[modality]
        unimodal = build(osp.join(CONFIGS, f'{config}_1xb16-10e_tiny-emotion-av.py'))
        with torch.no_grad():
            for p in unimodal.parameters():
                p.fill_(value)
        paths[modality] = str(tmp_path / f'{modality}_only.pth')
        torch.save(dict(state_dict=unimodal.state_dict()), paths[modality])
    init_default_scope('mmaction')
    frozen = {fusion: Config.fromfile(osp.join(
        CONFIGS, f'{fusion}_frozen-unimodal-r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py'))
        for fusion in ('jca', 'cross-attention', 'concat')}
    # The other fusions differ from the joint one in the fusion alone.
    for fusion in ('cross-attention', 'concat'):
        other = frozen[fusion].model
        assert other.fusion.type != 'JointCrossAttention'
        for key in ('visual_encoder', 'audio_encoder', 'head'):
            assert other[key] == frozen['jca'].model[key], (fusion, key)
    cfg = frozen['jca']
    cfg.model.visual_encoder.init_cfg.checkpoint = paths['visual']
    cfg.model.audio_encoder.init_cfg.checkpoint = paths['audio']
    model = MODELS.build(cfg.model)
    model.init_weights()
    for modality, value in fills.items():
        assert all(torch.equal(p, torch.full_like(p, value)) and not p.requires_grad
                   for p in model.encoders[modality].backbone.parameters()), modality
    assert all(p.requires_grad for p in model.fusion.parameters())


def test_each_dimension_masks_its_own_unlabelled_steps():
    """A step labelled in valence and −5 in arousal trains valence only (Aff-Wild2's −5 is
    per dimension); masking both dimensions dropped half-labelled frames for both."""
    model = build(TINY[0])
    data = batch(b=1)
    sample = data['data_samples'][0]
    sample.gt_arousal[3] = -5.0
    targets, masks = model.stack_targets([sample], ('valence', 'arousal'))
    assert masks['valence'][0].tolist() == [False] + [True] * 7
    assert masks['arousal'][0].tolist() == [False, True, True, False] + [True] * 4
    feats = torch.randn(1, 8, model.head.regressors['valence'][0].in_features)
    model.head.eval()
    losses = model.head.loss(feats, targets, masks)
    preds = model.head(feats)
    loss_module = model.head.loss_module
    for dim in ('valence', 'arousal'):
        expected = loss_module(preds[dim][masks[dim]], targets[dim][masks[dim]])
        torch.testing.assert_close(losses[f'loss_{dim}'], expected)
    assert not torch.allclose(losses['loss_arousal'],
                              loss_module(preds['arousal'], targets['arousal'],
                                          masks['valence']))


def test_as_coded_paper_regressor_reads_640_channels():
    """The official regressor input: raw 512-d visual feature + attended 128-d (cam.py)."""
    model = build(osp.join(CONFIGS, 'jca-as-coded_r2plus1d-18-r18_1xb96-30e_affwild2-va.py'))
    assert model.head.regressors['valence'][0].in_features == 640
    assert model.fusion.W_ca.weight.shape == (32, 256)
