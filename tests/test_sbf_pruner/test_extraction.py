"""Extraction: the slim network computes what the gated one does, with fewer parameters."""
from __future__ import annotations

import pytest
import torch
from mmengine.analysis import FlopAnalyzer, get_model_complexity_info

from projects.sbf_pruner.extraction import (
    extract,
    l1_keep_masks,
    random_keep_masks,
    sbf_keep_and_scale,
)
from tests.test_sbf_pruner.conftest import (
    CIFAR_GROUPS,
    build_pruner,
    classifier_cfg,
    randomise,
    spread_scores,
)


def count(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def gated_vs_extracted(pruner, model_cfg, images):
    randomise(pruner)
    spread_scores(pruner)
    keep, scale = sbf_keep_and_scale(pruner)
    cfg, slim = extract(pruner.model, model_cfg, keep, scale)
    with torch.no_grad():
        gated, extracted = pruner(images), slim(images)
    return gated, extracted, cfg, slim


def test_extraction_preserves_outputs(images):
    pruner = build_pruner(param_budget=0.5)
    model_cfg = pruner_cfg = classifier_cfg(dict(type='SlimResNet', arch='cifar20'))
    gated, extracted, cfg, slim = gated_vs_extracted(pruner, pruner_cfg, images)
    torch.testing.assert_close(extracted, gated, rtol=1e-4, atol=1e-5)
    assert cfg['backbone']['type'] == 'SlimResNet' and model_cfg['backbone'].get('widths') is None
    assert count(slim) < 0.75 * count(pruner.model)
    flops = [get_model_complexity_info(m, input_shape=(3, 32, 32), show_table=False,
                                       show_arch=False)['flops'] for m in (pruner.model, slim)]
    assert flops[1] < 0.75 * flops[0]


@pytest.mark.parametrize('metric, budget', [('params', 0.5), ('params', 0.3), ('flops', 0.4)])
def test_the_extracted_network_meets_the_budget(metric, budget, images):
    """The budget is the share of the whole network's parameters (or conv + linear
    multiply-adds) that the extracted network keeps, within 2 % below it."""
    pruner = build_pruner(param_budget=budget, budget_metric=metric)
    spread_scores(pruner)
    pruner.trace(images)
    keep, scale = sbf_keep_and_scale(pruner)
    _, slim = extract(pruner.model, classifier_cfg(dict(type='SlimResNet', arch='cifar20')),
                      keep, scale)
    if metric == 'params':
        kept = count(slim) / count(pruner.model)
    else:
        def macs(model):
            ops = FlopAnalyzer(model, images[:1]).unsupported_ops_warnings(False).by_operator()
            return ops['conv'] + ops['linear']
        kept = macs(slim) / macs(pruner.model)
    assert budget - 0.02 < kept <= budget
    assert float(pruner.kept_fraction(pruner.keep_masks(pruner.scores()))) == pytest.approx(
        kept, abs=1e-6)


def test_residual_groups_prune_consistently(images):
    """Every convolution writing one residual stream keeps the same channels."""
    pruner = build_pruner(param_budget=0.4)
    spread_scores(pruner)
    keep, _ = sbf_keep_and_scale(pruner)
    for convs in pruner.groups.values():
        assert all(torch.equal(keep[c], keep[convs[0]]) for c in convs)
    _, slim = extract(pruner.model, classifier_cfg(dict(type='SlimResNet', arch='cifar20')),
                      keep)
    stream = int(keep['backbone.layer2.0.downsample.0'].sum())
    assert slim.backbone.layer2[0].downsample[0].out_channels == stream
    assert all(block.conv2.out_channels == stream for block in slim.backbone.layer2)
    assert slim.backbone.layer3[0].conv1.in_channels == stream


def test_ungrouped_residual_convolutions_are_refused(images):
    pruner = build_pruner(groups=CIFAR_GROUPS[:2], param_budget=0.4)  # stage 3 not grouped
    spread_scores(pruner)
    keep, scale = sbf_keep_and_scale(pruner)
    with pytest.raises(ValueError, match=r'backbone\.layer3\.\d\.conv2'):
        extract(pruner.model, classifier_cfg(dict(type='SlimResNet', arch='cifar20')), keep,
                scale)


@pytest.mark.parametrize('backbone, groups, width', [
    (dict(type='ResNet_CIFAR', depth=18), [
        r'backbone\.(conv1|layer1\.\d+\.conv2)',
        *[fr'backbone\.layer{i}\.(0\.downsample\.0|\d+\.conv2)' for i in (2, 3, 4)]
    ], 512),
    (dict(type='ResNet', depth=50),
     [fr'backbone\.layer{i}\.(0\.downsample\.0|\d+\.conv3)' for i in (1, 2, 3, 4)], 2048),
])
def test_mmpretrain_resnets_extract_too(backbone, groups, width, images):
    """mmpretrain's own ResNets (basic and bottleneck blocks) are wrapped without edits."""
    model_cfg = classifier_cfg(backbone, in_channels=width)
    pruner = build_pruner(model=model_cfg, groups=groups, param_budget=0.5)
    gated, extracted, cfg, slim = gated_vs_extracted(pruner, model_cfg, images)
    torch.testing.assert_close(extracted, gated, rtol=1e-4, atol=1e-5)
    assert cfg['head']['in_channels'] == slim.backbone.widths['stages'][-1] < width


def test_l1_baseline_keeps_the_largest_filters():
    pruner = build_pruner()
    keep = l1_keep_masks(pruner, ratio=0.5)
    conv = pruner.conv('backbone.layer1.0.conv1')
    norms = conv.weight.abs().flatten(1).sum(1)
    assert keep['backbone.layer1.0.conv1'].sum() == 8
    assert norms[keep['backbone.layer1.0.conv1']].min() >= norms[
        ~keep['backbone.layer1.0.conv1']].max()
    assert torch.equal(keep['backbone.conv1'], keep['backbone.layer1.2.conv2'])


def test_random_baseline_prunes_as_many_filters_at_random():
    pruner = build_pruner()
    l1 = l1_keep_masks(pruner, ratio=0.5)
    first, again = (random_keep_masks(pruner, 0.5, seed=3) for _ in range(2))
    other = random_keep_masks(pruner, 0.5, seed=4)
    assert all(int(first[n].sum()) == int(l1[n].sum()) for n in l1)  # the same sizes
    assert all(torch.equal(first[n], again[n]) for n in first)       # seeded
    assert any(not torch.equal(first[n], other[n]) for n in first)
    assert torch.equal(first['backbone.conv1'], first['backbone.layer1.2.conv2'])  # groups


def test_other_backbones_are_refused():
    backbone = dict(type='VGG', depth=11, num_classes=-1, out_indices=(5, ))
    pruner = build_pruner(model=classifier_cfg(backbone, in_channels=512), include=['.*'],
                          groups=[])
    keep, scale = sbf_keep_and_scale(pruner)
    with pytest.raises(TypeError, match='VGG'):
        extract(pruner.model, classifier_cfg(backbone, in_channels=512), keep, scale)


MIX_GROUPS = {  # as configs/mixes: the stem with stage 1, each later projection with its stage
    18: [r'backbone\.(conv1|layer1\.\d+\.conv2)\.conv',
         *[fr'backbone\.layer{i}\.(0\.downsample|\d+\.conv2)\.conv' for i in (2, 3, 4)]],
    50: [fr'backbone\.layer{i}\.(0\.downsample|\d+\.conv3)\.conv' for i in (1, 2, 3, 4)],
}


@pytest.mark.parametrize('depth, width', [(18, 512), (50, 2048)])
def test_mmaction2_recognizers_extract_too(depth, width):
    """An mmaction2 TSN (Recognizer2D, mmaction2's ResNet, TSNHead) becomes a Recognizer2D
    on an ``mmpretrain.SlimResNet`` with the same class scores and fewer parameters."""
    from projects.sbf_pruner.extraction import example_inputs, logits
    recognizer = dict(
        type='Recognizer2D', _scope_='mmaction',
        backbone=dict(type='ResNet', depth=depth, pretrained=None),
        cls_head=dict(type='TSNHead', num_classes=10, in_channels=width,
                      average_clips='prob'))
    pruner = build_pruner(model=recognizer, groups=MIX_GROUPS[depth], param_budget=0.5,
                          include=[r'backbone\..*conv\d?\.conv',
                                   r'backbone\..*downsample\.conv'])
    randomise(pruner)
    spread_scores(pruner)
    keep, scale = sbf_keep_and_scale(pruner)
    cfg, slim = extract(pruner.model, recognizer, keep, scale)
    assert type(slim).__name__ == 'Recognizer2D' and slim.backbone_from == 'mmpretrain'
    assert cfg['backbone']['type'] == 'mmpretrain.SlimResNet'
    assert cfg['cls_head']['in_channels'] == slim.backbone.widths['stages'][-1] < width
    assert count(slim) < 0.6 * count(pruner.model)
    inputs = example_inputs(pruner.model, size=32, batch=2, seed=1)
    with torch.no_grad():
        gated, extracted = logits(pruner, inputs), logits(slim, inputs)
    assert gated.shape == (2, 10)
    torch.testing.assert_close(extracted, gated, rtol=1e-4, atol=1e-5)
