"""The exported primary network predicts exactly as the joint model's F."""
from __future__ import annotations

import os.path as osp

import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.registry import MODELS

from projects.cmpl.engine import primary_state_dict
from projects.common import benchmark as harness
from tests.conftest import REPO_ROOT, load_tool
from tests.test_cmpl.conftest import PRIMARY_ONLY, TINY


def test_exported_primary_predicts_like_the_joint_model(tmp_path):
    cfg = Config.fromfile(osp.join(REPO_ROOT, TINY))
    torch.manual_seed(0)
    joint = MODELS.build(cfg.model)
    joint.init_weights()
    for p in joint.parameters():  # away from the initial values, so a mix-up would show
        p.data.add_(0.05 * torch.randn_like(p))
    joint.eval()
    ckpt = str(tmp_path / 'joint.pth')
    torch.save(dict(state_dict=joint.state_dict(), meta={}), ckpt)
    out = load_tool('projects/cmpl/tools/export_primary.py').main(
        [ckpt, str(tmp_path / 'primary.pth')])
    alone = harness.load_model(osp.join(REPO_ROOT, PRIMARY_ONLY), out)  # strict loading
    assert not any(k.startswith('auxiliary') for k in torch.load(out)['state_dict'])

    clips = torch.randint(0, 256, (3, 1, 3, 8, 32, 32)).float()
    samples = [ActionDataSample().set_gt_label(0) for _ in range(3)]
    with torch.no_grad():
        expected = joint.test_step(dict(inputs=list(clips), data_samples=samples))
        got = alone.test_step(dict(inputs=list(clips), data_samples=samples))
    for a, b in zip(expected, got, strict=False):
        torch.testing.assert_close(a.pred_score, b.pred_score)
    assert len({int(s.pred_label) for s in got}) >= 1


def test_primary_state_dict_rejects_other_checkpoints():
    with pytest.raises(KeyError, match='CMPLRecognizer'):
        primary_state_dict({'backbone.conv1.weight': torch.zeros(1)})
