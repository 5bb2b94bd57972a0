"""ISTFCNet: the paper's sizes, its outputs and the subnet shape."""
from __future__ import annotations

import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from mmengine.structures import BaseDataElement

from projects.ist.models import ISTFCNet
from tests.conftest import REPO_ROOT

PAPER = {  # IST_Release DNNGoogleSpeechBatchNorm{2,3}Layer with model_size 4096
    'fc2': 4096 * 4096 + 4096 * 35 + 2 * 4096,
    'fc3': 4096 * 4096 * 2 + 4096 * 35 + 4 * 4096,
}
CONFIGS = sorted(p for p in glob.glob(osp.join(REPO_ROOT, 'projects/ist/configs/*.py'))
                 if 'tiny' not in p)


@pytest.mark.parametrize('config', CONFIGS, ids=osp.basename)
def test_paper_configs_build_the_official_sizes(config):
    cfg = Config.fromfile(config)
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    depth = 'fc3' if '_fc3-' in osp.basename(config) else 'fc2'
    assert sum(p.numel() for p in model.parameters()) == PAPER[depth]
    # No biases, affine-free output BN, batch statistics everywhere (the official layers).
    assert model.fc_out.bias is None and model.bn_out.weight is None
    assert all(not bn.track_running_stats for bn in [*model.bns, model.bn_out])


def test_outputs_and_subnet_shape():
    torch.manual_seed(0)
    model = ISTFCNet(6, [8, 4], 3)
    samples = [BaseDataElement(gt_label=torch.tensor(i % 3)) for i in range(5)]
    inputs = [torch.randn(6) for _ in range(5)]
    log_probs = model(inputs, mode='tensor')
    torch.testing.assert_close(log_probs.exp().sum(1), torch.ones(5))
    loss = model(inputs, samples, mode='loss')['loss']
    torch.testing.assert_close(loss, torch.nn.functional.nll_loss(
        log_probs, torch.tensor([0, 1, 2, 0, 1])))
    model.eval()
    predicted = model(inputs, samples, mode='predict')
    assert predicted[0].pred_score.shape == (3, )
    assert predicted[0].pred_label.shape == predicted[0].gt_label.shape
    subnet = model.narrow(2)
    assert [fc.weight.shape for fc in subnet.fcs] == [(4, 6), (2, 4)]
    assert subnet.fc_out.weight.shape == (3, 2)
    assert set(model.hidden_axes()) == {n for n, _ in model.named_parameters()}
    with pytest.raises(ValueError, match='mode'):
        model(inputs, mode='logits')
