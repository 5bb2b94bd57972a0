"""Exact resume on a toy runner: random states in checkpoints, epoch-seeded data loading, and
checkpoints that survive a crash while they are written."""
from __future__ import annotations

import os
import os.path as osp
import random
import uuid

import numpy as np
import pytest
import torch
from mmengine.runner import Runner

from projects.common.engine import RNG_KEY, get_rng_state, seed_everything, set_rng_state
from tests.test_common.toy_components import DropoutRegressor, NoisyDataset


def toy_runner(work_dir: str, by_epoch: bool, num_workers: int, resume_from: str | None = None,
               max_keep_ckpts: int = -1) -> Runner:
    """3 epochs of 4 iterations, or 12 iterations from an infinite sampler (checkpoints every
    4), seed 0, with RNGStateHook."""
    sampler = 'DefaultSampler' if by_epoch else 'InfiniteSampler'
    return Runner(
        model=DropoutRegressor(),
        work_dir=work_dir,
        experiment_name=f'toy_{uuid.uuid4().hex}',
        train_dataloader=dict(
            dataset=NoisyDataset(), sampler=dict(type=sampler, shuffle=True), batch_size=4,
            num_workers=num_workers, persistent_workers=num_workers > 0,
            collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9)),
        train_cfg=dict(by_epoch=True, max_epochs=3) if by_epoch else dict(
            by_epoch=False, max_iters=12),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', by_epoch=by_epoch,
                                           interval=1 if by_epoch else 4,
                                           max_keep_ckpts=max_keep_ckpts)),
        custom_hooks=[dict(type='RNGStateHook')],
        randomness=dict(seed=0),
        load_from=resume_from,
        resume=resume_from is not None,
        default_scope='mmengine')


def final_weights(runner: Runner) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in runner.model.state_dict().items()}


def test_rng_state_round_trip_through_a_weights_only_checkpoint(tmp_path):
    torch.manual_seed(1)
    state = get_rng_state()
    expected = (random.random(), float(np.random.rand()), torch.rand(3))
    path = str(tmp_path / 'states.pth')
    torch.save({RNG_KEY: [state]}, path)
    seed_everything(5)
    set_rng_state(torch.load(path, weights_only=True)[RNG_KEY][0])
    assert random.random() == expected[0] and float(np.random.rand()) == expected[1]
    assert torch.equal(torch.rand(3), expected[2])


def test_seed_everything_separates_nearby_keys():
    draws = {}
    for key in [(0, 1, 0, 0), (0, 2, 0, 0), (0, 1, 1, 0), (1, 0, 0, 0)]:
        seed_everything(*key)
        draws[key] = (random.random(), float(np.random.rand()), float(torch.rand(1)))
    assert len({v for d in draws.values() for v in d}) == 12
    seed_everything(0, 1, 0, 0)
    assert (random.random(), float(np.random.rand()), float(torch.rand(1))) == draws[
        (0, 1, 0, 0)]


def epochs_of(num_workers: int, epochs: list[int]) -> list[torch.Tensor]:
    loader = Runner.build_dataloader(
        dict(dataset=NoisyDataset(), sampler=dict(type='DefaultSampler', shuffle=False),
             batch_size=4, num_workers=num_workers, persistent_workers=num_workers > 0,
             collate_fn=dict(type='default_collate')), seed=0)
    out = []
    for epoch in epochs:
        loader.sampler.set_epoch(epoch)
        out.append(torch.cat([batch['inputs'] for batch in loader]))
    return out


def test_data_randomness_depends_on_epoch_not_on_history():
    # Persistent workers: epoch 2 after epochs 0 and 1 equals epoch 2 in a fresh loader.
    persistent = epochs_of(1, [0, 1, 2])
    assert torch.equal(persistent[2], epochs_of(1, [2])[0])
    assert not torch.equal(persistent[1], persistent[2])
    # The main process loads as worker 0 would, and leaves the model's streams alone.
    torch.manual_seed(3)
    in_main = epochs_of(0, [0, 1, 2])
    after_loading = torch.rand(2)
    torch.manual_seed(3)
    assert torch.equal(after_loading, torch.rand(2))
    for a, b in zip(in_main, persistent, strict=True):
        assert torch.equal(a, b)


@pytest.mark.parametrize('by_epoch, num_workers', [(True, 1), (False, 0)],
                         ids=['epochs-persistent-workers', 'iterations-main-process'])
def test_resume_is_exact_and_old_checkpoints_still_resume(tmp_path, by_epoch, num_workers):
    straight = toy_runner(str(tmp_path / 'straight'), by_epoch, num_workers)
    straight.train()
    expected = final_weights(straight)
    first = 'epoch_1.pth' if by_epoch else 'iter_4.pth'
    checkpoint = str(tmp_path / 'straight' / first)

    resumed = toy_runner(str(tmp_path / 'resumed'), by_epoch, num_workers, checkpoint)
    resumed.train()
    for key, value in final_weights(resumed).items():
        assert torch.equal(value, expected[key]), key

    # A checkpoint written without random states resumes, with a warning, but not exactly.
    old = torch.load(checkpoint, weights_only=True)
    del old[RNG_KEY]
    torch.save(old, str(tmp_path / 'old.pth'))
    legacy = toy_runner(str(tmp_path / 'legacy'), by_epoch, num_workers,
                        str(tmp_path / 'old.pth'))
    legacy.train()
    assert not torch.equal(final_weights(legacy)['net.0.weight'], expected['net.0.weight'])
    with open(osp.join(legacy.log_dir, f'{legacy.timestamp}.log')) as f:
        assert 'holds no random states' in f.read()


def test_crash_while_saving_keeps_the_last_good_checkpoint(tmp_path, monkeypatch):
    real_save = torch.save
    saves = []

    def save_then_die(obj, f, *args, **kwargs):
        # The checkpoint's tensors are the live parameters on the CPU: copy them.
        saves.append({k: v.clone() for k, v in obj['state_dict'].items()})
        if len(saves) == 2:  # epoch 2's checkpoint: half written, then the process fails
            f.write(b'\x80\x02half a checkpoint')
            raise OSError('No space left on device')
        return real_save(obj, f, *args, **kwargs)

    work_dir = str(tmp_path / 'work')
    runner = toy_runner(work_dir, by_epoch=True, num_workers=0, max_keep_ckpts=1)
    monkeypatch.setattr(torch, 'save', save_then_die)
    with pytest.raises(OSError, match='No space left'):
        runner.train()
    monkeypatch.setattr(torch, 'save', real_save)
    files = set(os.listdir(work_dir))
    assert 'epoch_1.pth' in files and 'epoch_2.pth' not in files
    assert not any(name.endswith('.part') for name in files)
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        assert f.read() == osp.join(work_dir, 'epoch_1.pth')
    kept = torch.load(osp.join(work_dir, 'epoch_1.pth'), weights_only=True)
    assert kept['meta']['epoch'] == 1
    for key, value in saves[0].items():
        assert torch.equal(kept['state_dict'][key], value), key

    # After a successful save the checkpoint that fell out of max_keep_ckpts is deleted.
    resumed = toy_runner(work_dir, by_epoch=True, num_workers=0,
                         resume_from=osp.join(work_dir, 'epoch_1.pth'), max_keep_ckpts=1)
    resumed.train()
    assert {n for n in os.listdir(work_dir) if n.endswith('.pth')} == {'epoch_3.pth'}


def test_last_checkpoint_is_replaced_only_when_written(tmp_path):
    from mmengine.hooks import checkpoint_hook
    path = str(tmp_path / 'last_checkpoint')
    with checkpoint_hook.open(path, 'w') as f:
        f.write('epoch_1.pth')
    with pytest.raises(KeyboardInterrupt), checkpoint_hook.open(path, 'w') as f:
        f.write('epoch_')
        raise KeyboardInterrupt  # killed half-way through the write
    with open(path) as f:
        assert f.read() == 'epoch_1.pth'
    assert os.listdir(tmp_path) == ['last_checkpoint']
