"""The training loops under the runner: scope, one-worker IST against plain SGD, and a real
2-process gloo run through tools/dist_train.sh."""
from __future__ import annotations

import importlib
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from projects.ist.engine.partition import ist_round_bytes
from tests.conftest import REPO_ROOT
from tests.test_common.test_dist_cpu import dist_train

CONFIGS = osp.join(REPO_ROOT, 'projects/ist/configs')
IST = f'{CONFIGS}/ist-central_fc3-h256_2xb32-r5-30e_tiny-digit-features.py'
SGD = f'{CONFIGS}/data-parallel_fc3-h256_2xb32-30e_tiny-digit-features.py'


def test_scope_switch_finds_the_registry_module():
    import projects.ist.registry as registry
    assert importlib.import_module('ist.registry') is registry
    assert registry.MODELS.get('ISTFCNet').__module__ == 'projects.ist.models.fc_net'


def train(config: str, tiny_config, work_dir, **overrides) -> dict[str, torch.Tensor]:
    cfg = tiny_config(config, work_dir, train_dataloader=dict(batch_size=4),
                      default_hooks=dict(checkpoint=dict(interval=100)), **overrides)
    runner = Runner.from_cfg(cfg)
    runner.train()
    return {k: v.detach().clone() for k, v in runner.model.named_parameters()}


def test_one_worker_ist_is_plain_sgd(tiny_config, tmp_path):
    """With one worker the subnet is the whole network with its neurons permuted, and the
    write-back undoes the permutation: IST is SGD (up to the summation order)."""
    ist = train(IST, tiny_config, tmp_path / 'ist', train_cfg=dict(max_epochs=2, local_iters=3))
    sgd = train(SGD, tiny_config, tmp_path / 'sgd', train_cfg=dict(max_epochs=2))
    torch.manual_seed(0)
    for name, value in sgd.items():
        torch.testing.assert_close(ist[name], value, rtol=1e-5, atol=1e-6, msg=name)
    # Against a model that did not train: the comparison can fail.
    init = train(SGD, tiny_config, tmp_path / 'init', train_cfg=dict(max_epochs=0))
    assert not torch.allclose(init['fcs.1.weight'], sgd['fcs.1.weight'])


def digit_options(root: str, samples: dict) -> dict:
    options = {}
    for split in ('train', 'val', 'test'):
        loader = f'{split}_dataloader.dataset'
        options[f'{loader}.builder.root'] = root
        options[f'{loader}.builder.samples'] = samples
        options[f'{loader}.dataset.ann_file'] = f'{root}/{split}.npz'
    return options


def test_two_gloo_processes_train_and_agree(tmp_path):
    cfg = Config.fromfile(IST)
    cfg.merge_from_dict(digit_options(str(tmp_path / 'digits'),
                                      dict(train=320, val=100, test=8)))
    cfg.merge_from_dict({'train_dataloader.batch_size': 16, 'train_cfg.max_epochs': 2,
                         'optim_wrapper.optimizer.lr': 0.05})
    cfg.custom_imports.imports.append('tests.test_common.toy_components')
    cfg.custom_hooks = [dict(type='RankParamsHook')]
    config = str(tmp_path / 'ist_2proc.py')
    cfg.dump(config)
    work_dir = str(tmp_path / 'work')
    dist_train(config, work_dir, [])

    params = [torch.load(osp.join(work_dir, f'rank{r}_params.pth'), weights_only=True)
              for r in range(2)]
    for key in params[0]:
        assert torch.equal(params[0][key], params[1][key]), key
    logs = [json.load(open(osp.join(work_dir, f'comm_rank{r}.json'))) for r in range(2)]
    # 320 samples / (16 x 2 ranks) = 10 steps per epoch, rounds of 5: 2 rounds an epoch.
    rounds = 2 * 2
    for rank, log in enumerate(logs):
        last = log[-1]
        per_round = ist_round_bytes(64, [256, 256], 10, 2, 'central', rank)
        assert last['sent_bytes'] == last['analytic_bytes'] == rounds * per_round['sent']
        assert last['received_bytes'] == rounds * per_round['received']
        assert last['held_params'] == (sum(v.numel() for v in params[0].values())
                                       if rank == 0 else 0)
    accuracy = [epoch['metrics']['accuracy'] for epoch in logs[0]]
    assert accuracy[-1] > 0.6, accuracy  # 10 classes: chance is 0.1


def test_unknown_variant_is_refused(tiny_config, tmp_path):
    cfg = tiny_config(IST, tmp_path, train_cfg=dict(variant='ring'))
    with pytest.raises(ValueError, match='train_cfg.variant'):
        Runner.from_cfg(cfg).train()
