"""SPyNet pre-training: frame pairs with true flow, the EPE model and metric, the extraction."""
from __future__ import annotations

import os.path as osp
import runpy

import numpy as np
import pytest
import torch
from mmagic.models.editors.basicvsr.basicvsr_net import SPyNet
from mmagic.registry import DATASETS, METRICS, MODELS, TRANSFORMS
from mmengine.registry import init_default_scope

from tests.conftest import REPO_ROOT

PIPELINE = [dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
            dict(type='GenerateCameraFlow', scale=4),
            dict(type='PackFlowInputs')]


def flow_pairs(root: str, intervals=(1, -1)):
    init_default_scope('mmagic')
    return DATASETS.build(dict(type='FlowPairDataset', data_root=root, intervals=intervals,
                               ann_file='meta_info_test_GT.txt', pipeline=PIPELINE))


def test_pairs_cover_both_directions(embedded_vsr_root):
    dataset = flow_pairs(embedded_vsr_root, intervals=(1, -2))
    # 2 clips of 6 frames: 5 forward pairs and 4 two-back pairs each.
    assert len(dataset) == 2 * (5 + 4)
    sample = dataset[0]
    assert sample['inputs'].shape == (2, 3, 16, 16)
    assert 0.0 <= float(sample['inputs'].min()) and float(sample['inputs'].max()) <= 1.0
    assert sample['data_samples'].gt_flow.shape == (2, 16, 16)
    assert sample['data_samples'].flow_valid.dtype == torch.bool
    assert sample['data_samples'].metainfo['key'] == '003/00000000_00000001'
    with pytest.raises(ValueError, match='non-zero frame gaps'):
        flow_pairs(embedded_vsr_root, intervals=(0,))


def test_true_flow_aligns_the_pair(embedded_vsr_root):
    from mmagic.models.utils import flow_warp
    sample = flow_pairs(embedded_vsr_root, intervals=(5,))[1]
    ref, supp = sample['inputs']
    flow = sample['data_samples'].gt_flow
    inner = sample['data_samples'].flow_valid.clone()
    inner[:2], inner[-2:], inner[:, :2], inner[:, -2:] = False, False, False, False
    warped = flow_warp(supp[None], flow.permute(1, 2, 0)[None])[0]
    error = (warped - ref).abs().mean(0)[inner].mean()
    assert error < 0.8 * (supp - ref).abs().mean(0)[inner].mean()


def warp_error(sample: dict) -> float:
    """Mean |flow_warp(supp, gt_flow) - ref| over the valid pixels away from the border."""
    from mmagic.models.utils import flow_warp
    ref, supp = sample['inputs']
    flow = sample['data_samples'].gt_flow
    inner = sample['data_samples'].flow_valid.clone()
    inner[:2], inner[-2:], inner[:, :2], inner[:, -2:] = False, False, False, False
    warped = flow_warp(supp[None], flow.permute(1, 2, 0)[None])[0]
    return float((warped - ref).abs().mean(0)[inner].mean())


# Seeds whose draws flip or transpose at least once (seed 1: left-right; 2: left-right and
# up-down; 3 and 5: one of them), and all three at once.
@pytest.mark.parametrize('seed,flip_ratio', [(1, 0.5), (2, 0.5), (3, 0.5), (5, 0.5), (0, 1.0)])
def test_flow_augment_moves_the_flow_with_the_pixels(embedded_vsr_root, seed, flip_ratio):
    dataset = flow_pairs(embedded_vsr_root, intervals=(5,))
    raw = dataset.get_data_info(1)
    geometric = TRANSFORMS.build(dict(type='FlowAugment', flip_ratio=flip_ratio, grey_ratio=0,
                                      gain=(1, 1), bias=(0, 0), gamma=(1, 1)))
    pack = TRANSFORMS.build(dict(type='PackFlowInputs'))
    load = [TRANSFORMS.build(t) for t in PIPELINE[:2]]

    def prepared():
        results = dict(raw)
        for t in load:
            results = t(results)
        return results

    plain = pack(prepared())
    np.random.seed(seed)
    augmented = pack(geometric(prepared()))
    # Each flip or transposition moved the flow with the frames: the warp still aligns them
    # as well as before (not better or worse than rounding to uint8 allows) ...
    assert warp_error(augmented) == pytest.approx(warp_error(plain), abs=2e-3)
    assert augmented['data_samples'].flow_valid.sum() == plain['data_samples'].flow_valid.sum()
    # ... while the unmoved flow would not align the changed frames.
    stale = dict(augmented, data_samples=plain['data_samples'])
    assert warp_error(stale) > 1.5 * warp_error(plain)
    # The photometric changes are the same for both frames and leave the flow alone.
    photometric = TRANSFORMS.build(dict(type='FlowAugment', flip_ratio=0, grey_ratio=1))
    changed = pack(photometric(prepared()))
    torch.testing.assert_close(changed['data_samples'].gt_flow, plain['data_samples'].gt_flow)
    assert torch.equal(changed['inputs'][:, 0], changed['inputs'][:, 1])  # grey


def test_model_loss_predict_and_metric(embedded_vsr_root):
    dataset = flow_pairs(embedded_vsr_root)
    model = MODELS.build(dict(type='SPyNetPretraining'))
    model.init_weights()
    batch = model.data_preprocessor(dict(inputs=[dataset[i]['inputs'] for i in range(3)],
                                         data_samples=[dataset[i]['data_samples']
                                                       for i in range(3)]), True)
    # Zero-flow initialisation: the network starts by predicting no motion.
    assert model(**batch, mode='tensor').abs().max() == 0
    loss = model(**batch, mode='loss')['loss_epe']
    loss.backward()
    assert torch.isfinite(loss) and loss > 0
    assert model.spynet.basic_module[5].basic_module[-1].conv.weight.grad.abs().sum() > 0
    samples = model(**batch, mode='predict')
    # Zero flow predicted: its EPE is the zero-flow EPE.
    assert all(torch.isclose(s.epe, s.zero_flow_epe) for s in samples)
    metric = METRICS.build(dict(type='FlowEPE'))
    metric.process(None, [s.to_dict() for s in samples])
    result = metric.compute_metrics(metric.results)
    assert result['EPE'] == pytest.approx(result['zero_flow_EPE'])
    with pytest.raises(ValueError, match=r'\(n, 2, 3, h, w\)'):
        model(torch.stack(batch['inputs'])[:, :1], mode='tensor')


def test_pyramid_flows_end_in_spynet_flow():
    model = MODELS.build(dict(type='SPyNetPretraining', zero_flow_init=False)).eval()
    frames = torch.rand(1, 2, 3, 32, 64)
    flows = model.pyramid_flows(frames[:, 0], frames[:, 1])
    assert [tuple(f.shape[-2:]) for f in flows] == [(32 >> k, 64 >> k) for k in range(5, -1, -1)]
    torch.testing.assert_close(flows[-1], model.spynet(frames[:, 0], frames[:, 1]))
    with pytest.raises(ValueError, match='multiples of 32'):
        model.pyramid_flows(frames[:, 0, :, :24], frames[:, 1, :, :24])


def test_extracted_spynet_loads_strictly(tmp_path):
    extract = runpy.run_path(osp.join(
        REPO_ROOT, 'projects/ttvsr/tools/extract_spynet.py'))['main']
    model = MODELS.build(dict(type='SPyNetPretraining', zero_flow_init=False))
    checkpoint = str(tmp_path / 'iter_1.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), checkpoint)
    out = extract([checkpoint, str(tmp_path / 'spynet.pth')])
    spynet = SPyNet(pretrained=out)
    torch.testing.assert_close(spynet.state_dict(), model.spynet.state_dict())
    torch.save(dict(state_dict={'backbone.conv.weight': torch.zeros(1)}), checkpoint)
    with pytest.raises(KeyError, match=r'no generator\.spynet\.\* weights'):
        extract([checkpoint, str(tmp_path / 'other.pth')])
