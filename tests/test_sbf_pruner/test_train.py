"""One short `tools/train.py` run of the tiny config, then extraction and `tools/test.py`."""
from __future__ import annotations

import os.path as osp
import runpy

import pytest
import torch

from tests.conftest import REPO_ROOT

TINY = osp.join(REPO_ROOT, 'projects/sbf_pruner/configs/'
                'sbf-pruner_resnet20_1xb32-15e_tiny-digit-images.py')
EXTRACT = osp.join(REPO_ROOT, 'projects/sbf_pruner/tools/extract.py')


def tools() -> tuple:
    """The `main` of tools/train.py, tools/test.py and the extraction tool."""
    tool = osp.join(REPO_ROOT, 'tools')
    return tuple(runpy.run_path(path)['main'] for path in (
        osp.join(tool, 'train.py'), osp.join(tool, 'test.py'), EXTRACT))


def test_train_extract_and_test(tiny_config, tmp_path):
    train, test, extract = tools()
    work_dir = str(tmp_path / 'work')
    # Two epochs, the budget mask from the second.
    config = str(tmp_path / 'small.py')
    tiny_config(TINY, work_dir, custom_hooks=[dict(type='SbFBudgetHook', begin_epoch=1)],
                train_cfg=dict(max_epochs=2, val_interval=2)).dump(config)
    runner = train([config, '--work-dir', work_dir, '--cfg-options',
                    'default_hooks.logger.interval=5', 'default_hooks.checkpoint.interval=1',
                    'default_hooks.checkpoint.max_keep_ckpts=2'])
    assert runner.epoch == 2
    hub = runner.message_hub
    assert torch.isfinite(torch.tensor(hub.get_scalar('train/loss').current()))
    assert hub.get_scalar('train/sbf_kept').current() <= 0.75 + 1e-6
    assert runner.model.budget_mask_enabled
    first, weights = (torch.load(osp.join(work_dir, f'epoch_{e}.pth'), map_location='cpu')
                      ['state_dict'] for e in (1, 2))
    key = 'attention_networks.backbone_layer3_0_conv2.score.weight'
    assert not torch.equal(first[key], weights[key])  # the ANs train with the network

    checkpoint = osp.join(work_dir, 'epoch_2.pth')

    slim_config, slim_checkpoint = extract([config, checkpoint, str(tmp_path / 'slim')])
    gated = test([config, checkpoint, '--work-dir', str(tmp_path / 'test_gated')])
    extracted = test([slim_config, slim_checkpoint, '--work-dir', str(tmp_path / 'test_slim')])
    assert extracted['accuracy/top1'] == gated['accuracy/top1']
    dense = sum(v.numel() for k, v in weights.items() if k.startswith('model.'))
    slim = torch.load(slim_checkpoint, map_location='cpu')['state_dict']
    assert sum(v.numel() for v in slim.values()) < 0.8 * dense


MIX = osp.join(REPO_ROOT, 'configs/mixes/sbf-pruner_tsn_r18_1xb16-1x1x3-15e_moving-digits.py')


def test_the_mix_extracts_to_a_smaller_mmaction2_tsn(tiny_config, tmp_path):
    """The mix (SbF-Pruner around mmaction2's TSN-R18): one epoch under the budget mask, then
    extraction gives a Recognizer2D on a SlimResNet that `tools/test.py` scores like the gated
    model, at about the budget's share of the parameters."""
    train, test, extract = tools()
    work_dir = str(tmp_path / 'work')
    config = str(tmp_path / 'mix.py')
    tiny_config(MIX, work_dir,
                custom_hooks=[dict(type='mmpretrain.SbFBudgetHook', begin_epoch=0)],
                train_cfg=dict(max_epochs=1, val_interval=2)).dump(config)
    train([config, '--work-dir', work_dir])
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    slim_config, slim_checkpoint = extract([config, checkpoint, str(tmp_path / 'slim')])
    gated = test([config, checkpoint, '--work-dir', str(tmp_path / 'test_gated')])
    extracted = test([slim_config, slim_checkpoint, '--work-dir', str(tmp_path / 'test_slim')])
    assert extracted == gated  # every metric (extract.py also checks the logits on random clips)
    meta = torch.load(slim_checkpoint, map_location='cpu')['meta']['sbf_pruner']
    assert 0.50 < meta['params'] / meta['dense_params'] <= 0.52 + 1e-6


def test_extraction_refuses_a_checkpoint_of_another_model(tmp_path):
    model = torch.nn.Linear(2, 2)
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'other.pth')
    extract = runpy.run_path(EXTRACT)['main']
    with pytest.raises(ValueError, match='does not fit the model'):
        extract([TINY, str(tmp_path / 'other.pth'), str(tmp_path / 'out')])


def test_extraction_refuses_a_config_without_sbf_pruner(tmp_path):
    extract = runpy.run_path(EXTRACT)['main']
    dense = osp.join(REPO_ROOT, 'projects/sbf_pruner/configs/'
                     'resnet20_1xb32-15e_tiny-digit-images.py')
    with pytest.raises(ValueError, match="'ImageClassifier', not an SbFPruner"):
        extract([dense, str(tmp_path / 'x.pth'), str(tmp_path / 'out')])
