"""The TTVSR editor: training and prediction, and the Vimeo-90K-T 4-prediction average.

Official code: ``TTVSR.forward_test`` in ``mmedit/models/restorers/ttvsr.py``.
"""
from __future__ import annotations

import pytest
import torch
import torch.nn as nn
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine.registry import init_default_scope

from projects.ttvsr.models import TTVSR, centre_frame_copies, mirror_twice


@pytest.fixture(autouse=True)
def mmagic_scope():
    init_default_scope('mmagic')
    torch.manual_seed(0)


def build_editor(**kwargs) -> TTVSR:
    cfg = dict(type='TTVSR',
               generator=dict(type='TTVSRNet', mid_channels=8, num_blocks=1,
                              num_extract_blocks=1),
               pixel_loss=dict(type='CharbonnierLoss', loss_weight=1.0, reduction='mean'),
               train_cfg=dict(fix_iter=1),
               data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.],
                                      std=[255., 255., 255.]))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def batch(editor: TTVSR, frames: int, gt_frames: int | None, lr=8, gt=32, training=False):
    """Two samples of ``frames`` LR frames; GT a sequence, or one frame if gt_frames is None."""
    gt_shape = (3, gt, gt) if gt_frames is None else (gt_frames, 3, gt, gt)
    samples = [DataSample(img=torch.randint(0, 256, (frames, 3, lr, lr)).float(),
                          gt_img=torch.randint(0, 256, gt_shape).float()) for _ in range(2)]
    return editor.data_preprocessor(dict(inputs=[s.img for s in samples],
                                         data_samples=samples), training)


def test_loss_and_spynet_frozen_for_fix_iter():
    editor = build_editor()
    data = batch(editor, 3, 3, training=True)
    losses = editor(**data, mode='loss')
    assert torch.isfinite(losses['loss'])
    assert not any(p.requires_grad for p in editor.generator.spynet.parameters())
    editor(**batch(editor, 3, 3, training=True), mode='loss')
    assert all(p.requires_grad for p in editor.generator.spynet.parameters())


def test_predict_returns_the_sequence():
    editor = build_editor().eval()
    with torch.no_grad():
        out = editor(**batch(editor, 3, 3), mode='predict')
    assert len(out) == 2 and out[0].output.pred_img.shape == (3, 3, 32, 32)


def test_gt_that_is_not_x4_is_refused():
    editor = build_editor()
    with pytest.raises(ValueError, match=r'x4 only: LR frames of \(8, 8\) need GT frames of '
                                         r'\(32, 32\), got \(16, 16\)'):
        editor(**batch(editor, 3, 3, gt=16, training=True), mode='loss')


def test_centre_frame_copies_are_the_official_indices():
    """t//8, t//8+7, -1-t//8-7, -1-t//8 of the 28 frames (official ``TTVSR.forward_test``)."""
    assert centre_frame_copies(7) == [3, 10, 17, 24]
    clip = torch.arange(7.).view(1, 7, 1, 1, 1)
    extended = mirror_twice(clip)
    assert extended.shape[1] == 28
    assert extended.flatten()[centre_frame_copies(7)].tolist() == [3., 3., 3., 3.]


class RecordingStub(nn.Module):
    """Returns HR frames whose every pixel is f(i) = i**2 / 4 for frame i of the sequence it was
    given (on the 0-255 scale). f is not linear in i, so the mean of the right frames differs
    from the mean of any other symmetric set, e.g. of all frames (i itself would not tell
    them apart: every set symmetric about the centre has the same mean index)."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))
        self.inputs = []

    def forward(self, lrs):
        self.inputs.append(lrs)
        n, t, c, h, w = lrs.shape
        value = torch.arange(t, dtype=lrs.dtype).view(1, t, 1, 1, 1) ** 2 / 4
        return value.expand(n, t, c, 4 * h, 4 * w) / 255. + self.weight


@pytest.mark.parametrize('premirrored', [False, True])
def test_vimeo_averages_four_centre_predictions(premirrored):
    """7 frames (or 14 already mirrored by the pipeline): the stub sees the 28-frame clip
    mirrored twice, and the prediction is the mean of frames 3, 10, 17 and 24 (not, e.g., of
    all 28 frames: 61.875, or of frames 3 and 24 only: 73.125)."""
    editor = build_editor(vimeo_centre_average=True).eval()
    editor.generator = RecordingStub()
    data = batch(editor, 7, None)
    clip = data['inputs']
    if premirrored:
        data['inputs'] = torch.cat([clip, clip.flip(1)], dim=1)
    with torch.no_grad():
        out = editor(**data, mode='predict')
    (seen,) = editor.generator.inputs
    torch.testing.assert_close(seen, mirror_twice(clip), rtol=0, atol=0)
    pred = out[0].output.pred_img
    assert pred.shape == (3, 32, 32)
    expected = sum(i**2 / 4 for i in (3, 10, 17, 24)) / 4  # 60.875
    torch.testing.assert_close(pred, torch.full_like(pred, expected))


def test_without_the_switch_vimeo_is_basicvsr_behaviour():
    """BasicVSR's rule on a once-mirrored 14-frame clip: mean of frames 3 and 10 (not of all
    14 frames: 14.625)."""
    editor = build_editor().eval()
    editor.generator = RecordingStub()
    data = batch(editor, 7, None)
    data['inputs'] = torch.cat([data['inputs'], data['inputs'].flip(1)], dim=1)
    with torch.no_grad():
        pred = editor(**data, mode='predict')[0].output.pred_img
    assert editor.generator.inputs[0].shape[1] == 14
    torch.testing.assert_close(pred, torch.full_like(pred, (3**2 / 4 + 10**2 / 4) / 2))
