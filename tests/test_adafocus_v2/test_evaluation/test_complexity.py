"""Per-video GFLOPs as the paper counts them."""
from __future__ import annotations

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS
from torch import nn

from projects.adafocus_v2.evaluation import adafocus_complexity, count
from tests.conftest import REPO_ROOT


def test_multiply_adds_without_batch_norm():
    conv = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)).eval()
    # 8 x 3 x 3 x 3 multiply-adds per output pixel, 10 x 10 pixels; batch norm not counted.
    assert count(conv, torch.zeros(1, 3, 10, 10)) == pytest.approx(8 * 27 * 100 / 1e9)


def test_activitynet_p96_matches_the_official_per_frame_constant():
    """16 x 1.101 GFLOPs per video (official ops/early_exit.py, `get_flops`): the paper's
    17.6. With batch norm counted it would be 17.88, 1.6 % above."""
    cfg = Config.fromfile(f'{REPO_ROOT}/projects/adafocus_v2/configs/'
                          'adafocusv2_mbv2-r50_p96_4xb8-16x1x1-50e_activitynet-rgb.py')
    cost = adafocus_complexity(MODELS.build(cfg.model), 224)
    assert cost['per_frame'] == pytest.approx(1.101, rel=2e-3)
    assert cost['total'] == pytest.approx(17.6, rel=2e-3)
