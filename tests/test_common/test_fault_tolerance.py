"""Kill tools/train.py mid-run, resume it, and end with the weights of an uninterrupted run.

The killed run is a subprocess of its own; the uninterrupted run goes on meanwhile in this
process, with the same single thread. The demo config keeps its dropout, persistent workers
and validation. Bit-identical on the CPU.
"""
from __future__ import annotations

import os
import os.path as osp
import re
import runpy
import signal
import subprocess
import sys
import threading
import time

import pytest
import torch

from tests.conftest import REPO_ROOT, moving_digits_options

DEMO = osp.join(REPO_ROOT, 'configs/demo/tsn_r18_1xb16-1x1x3-15e_moving-digits.py')
TIMEOUT = 300  # seconds for one run; a tiny run takes under a minute on 2 idle cores
run_train = runpy.run_path(osp.join(REPO_ROOT, 'tools/train.py'))['main']

# An iteration-based run that loads in the main process from an infinite sampler, as the
# TTVSR configs do, on toy components (the epoch-based test runs the demo config): 12
# iterations of 0.2 s, a checkpoint every 4.
ITER_CONFIG = """default_scope = 'mmengine'
custom_imports = dict(imports=['projects.common', 'tests.test_common.toy_components'],
                      allow_failed_imports=False)
model = dict(type='DropoutRegressor', seconds_per_step=0.2)
train_dataloader = dict(
    dataset=dict(type='NoisyDataset'), sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_size=4, num_workers=0, collate_fn=dict(type='default_collate'))
train_cfg = dict(by_epoch=False, max_iters=12)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
default_hooks = dict(checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=4),
                     logger=dict(type='LoggerHook', interval=1))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
"""


def tiny_data_options(root: str, **extra) -> list[str]:
    """--cfg-options that point the demo's dataloaders at a small dataset, batch 8, and keep
    every checkpoint (no best one: each save writes 135 MB)."""
    options = {'data_root': root, 'default_hooks.logger.interval': 1,
               'default_hooks.checkpoint.max_keep_ckpts': 5,
               'default_hooks.checkpoint.save_best': None, 'train_dataloader.batch_size': 8}
    options.update(moving_digits_options(root))
    options.update(extra)
    return ['--cfg-options', *[f'{k}={v}' for k, v in options.items()]]


@pytest.fixture
def one_thread():
    """One torch thread here, as in the subprocess, so that the numbers can be bit-identical."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def train(config: str, work_dir: str, options: list[str]) -> subprocess.Popen:
    """Starts tools/train.py in a process group of its own (so that its workers die with it)."""
    os.makedirs(work_dir, exist_ok=True)
    log = open(osp.join(work_dir, 'stdout.log'), 'w')
    return subprocess.Popen(
        [sys.executable, osp.join(REPO_ROOT, 'tools/train.py'), config, '--work-dir', work_dir,
         *options], stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env=dict(os.environ, OMP_NUM_THREADS='1'))


def kill_when_logged(process: subprocess.Popen, work_dir: str, pattern: str,
                     status: list) -> None:
    """SIGKILLs the run (and its dataloader workers) once its log matches ``pattern``."""
    deadline = time.monotonic() + TIMEOUT
    log = osp.join(work_dir, 'stdout.log')
    while time.monotonic() < deadline and process.poll() is None:
        with open(log) as f:
            if re.search(pattern, f.read()):
                os.killpg(process.pid, signal.SIGKILL)
                break
        time.sleep(0.05)
    status.append(process.wait(TIMEOUT))


def params(path: str) -> dict[str, torch.Tensor]:
    return torch.load(path, map_location='cpu', weights_only=True)['state_dict']


def check_kill_and_resume(tmp_path, config, options, kill_pattern, checkpoint, final,
                          trained_key):
    straight, killed = str(tmp_path / 'straight'), str(tmp_path / 'killed')
    status = []
    killer = threading.Thread(target=kill_when_logged,
                              args=(train(config, killed, options), killed, kill_pattern, status))
    killer.start()
    run_train([config, '--work-dir', straight, *options])
    killer.join()
    assert status == [-signal.SIGKILL], f'the run was not killed, see {killed}/stdout.log'
    with open(osp.join(killed, 'last_checkpoint')) as f:
        assert f.read() == osp.join(killed, checkpoint)
    assert not osp.exists(osp.join(killed, final))
    runner = run_train([config, '--work-dir', killed, '--resume', *options])
    with open(osp.join(runner.log_dir, f'{runner.timestamp}.log')) as f:
        assert 'resumed epoch' in f.read()
    expected, got = params(osp.join(straight, final)), params(osp.join(killed, final))
    assert expected.keys() == got.keys()
    # The test is able to fail: the resumed part changed the weights.
    assert not torch.equal(expected[trained_key],
                           params(osp.join(killed, checkpoint))[trained_key])
    for key in expected:
        assert torch.equal(got[key], expected[key]), key


def test_epoch_based_run_killed_mid_epoch_resumes_exactly(moving_digits_root, tmp_path,
                                                           one_thread):
    # 3 iterations per epoch; killed after the first iteration of epoch 2.
    options = tiny_data_options(moving_digits_root, **{'train_cfg.max_epochs': 2})
    check_kill_and_resume(tmp_path, DEMO, options, r'Epoch\(train\)\s+\[2\]\[1/',
                          'epoch_1.pth', 'epoch_2.pth', 'backbone.conv1.conv.weight')


def test_iteration_based_run_killed_mid_run_resumes_exactly(tmp_path, one_thread):
    config = str(tmp_path / 'toy_iter.py')
    with open(config, 'w') as f:
        f.write(ITER_CONFIG)
    check_kill_and_resume(tmp_path, config, [], r'Iter\(train\)\s+\[\s*6/12\]', 'iter_4.pth',
                          'iter_12.pth', 'net.0.weight')
