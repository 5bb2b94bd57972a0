"""The SegNet backbone, the task attention networks and the MTAN model."""
import pytest
import torch

import projects.mtan  # noqa: F401
from projects.mtan.models import MTAN, MTANAttention, SegNet

FILTERS = (4, 8, 8, 16, 16)


def tiny(tasks=('seg', 'depth', 'normal'), attention=True) -> MTAN:
    return MTAN(backbone=dict(type='SegNet', filters=FILTERS), tasks=tasks, num_classes=5,
                attention=dict(type='MTANAttention') if attention else None)


def test_attention_masks_have_the_shapes_of_the_features_they_gate():
    torch.manual_seed(0)
    backbone, attention = SegNet(filters=FILTERS), MTANAttention(2, FILTERS)
    feats = backbone(torch.rand(2, 3, 64, 96))
    outs, masks = attention(feats, return_masks=True)
    assert len(outs) == len(masks) == 2
    for task_masks, out in zip(masks, outs, strict=True):
        expected = [f.shape for f in feats.enc_out] + [f.shape for f in feats.dec_out]
        assert [m.shape for m in task_masks] == expected
        for mask in task_masks:
            assert mask.min() >= 0 and mask.max() <= 1
            assert mask.std() > 0  # a per-pixel, per-channel mask, not a constant
        # The task feature is the last decoder feature gated by the last mask.
        torch.testing.assert_close(out, task_masks[-1] * feats.dec_out[-1])
    # Each task has its own masks.
    assert not torch.allclose(masks[0][0], masks[1][0])


def test_gradients_reach_every_parameter():
    model = tiny()
    out = model(torch.rand(2, 3, 32, 32))
    sum(v.float().pow(2).mean() for v in out.values()).backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None or not p.grad.any()]
    assert not missing


def test_outputs_follow_the_task_functions():
    out = tiny()(torch.rand(1, 3, 32, 64))
    assert out['seg'].shape == (1, 5, 32, 64)
    torch.testing.assert_close(out['seg'].exp().sum(1), torch.ones(1, 32, 64))
    assert out['depth'].shape == (1, 1, 32, 64)
    torch.testing.assert_close(out['normal'].norm(dim=1), torch.ones(1, 32, 64))


def test_split_and_single_task_have_no_attention_and_share_the_backbone():
    split, single = tiny(attention=False), tiny(tasks=('depth', ), attention=False)
    assert split.attention is None and set(split.heads) == {'seg', 'depth', 'normal'}
    backbone = sum(p.numel() for p in split.backbone.parameters())
    head = sum(p.numel() for p in split.heads['depth'].parameters())
    assert sum(p.numel() for p in single.parameters()) == backbone + head


def test_paper_sizes_match_the_official_models():
    """Counts of the official definitions (lorenmt/mtan im2im_pred/model_segnet_*.py, counted
    by compare_official.py's loader), less the 3 ``logsigma`` of the multi-task files, which
    live in UncertaintyWeighting here."""
    mtan = MTAN(backbone=dict(type='SegNet'), attention=dict(type='MTANAttention'))
    split = MTAN(backbone=dict(type='SegNet'))
    single = MTAN(backbone=dict(type='SegNet'), tasks=('seg', ))
    count = [sum(p.numel() for p in m.parameters()) for m in (mtan, split, single)]
    assert count == [44_229_076 - 3, 25_055_188 - 3, 24_981_069]
    # The paper's #P column for NYUv2 (Table 3): MTAN 1.77 single-task networks.
    assert round((count[0] + 3) / count[2], 2) == 1.77


def test_bad_inputs_name_the_problem():
    with pytest.raises(ValueError, match='divisible by 32'):
        tiny()(torch.rand(1, 3, 40, 32))
    with pytest.raises(ValueError, match='model.tasks'):
        tiny(tasks=('seg', 'edges'))
