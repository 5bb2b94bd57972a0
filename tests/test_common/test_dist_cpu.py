"""tools/dist_train.sh on the CPU: 2 gloo processes on the loopback interface."""
from __future__ import annotations

import os
import os.path as osp
import shutil
import socket
import subprocess
import sys

import torch

from tests.conftest import REPO_ROOT
from tests.test_common.test_fault_tolerance import DEMO, TIMEOUT, params, tiny_data_options

CONFIG = f"""_base_ = [{DEMO!r}]
custom_imports = dict(imports=['projects.common', 'tests.test_common.toy_components'],
                      allow_failed_imports=False)
custom_hooks = [dict(type='RankParamsHook')]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


# One process of each launcher's environment: the process group starts on gloo although the
# config asks for nccl, and a model on the CPU is wrapped in DDP.
INIT = """
import importlib.util
import os
import socket
import torch
# compat.py alone, without `import projects` (which imports the model zoos: seconds).
spec = importlib.util.spec_from_file_location('compat', 'projects/common/compat.py')
compat = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compat)
compat.init_dist_without_gpu()
from mmengine.dist import init_dist
from mmengine.model import MMDistributedDataParallel
for launcher, env in (('pytorch', dict(RANK='0', LOCAL_RANK='0', WORLD_SIZE='1')),
                      ('slurm', dict(SLURM_PROCID='0', SLURM_LOCALID='0', SLURM_NTASKS='1',
                                     SLURM_NODELIST='localhost'))):
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        env['MASTER_PORT'] = str(s.getsockname()[1])
    os.environ.update(env)
    init_dist(launcher, backend='nccl')
    assert torch.distributed.get_backend() == 'gloo', (launcher, torch.distributed.get_backend())
    MMDistributedDataParallel(module=torch.nn.Linear(2, 2), device_ids=[0])
    torch.distributed.destroy_process_group()
"""


def test_init_dist_without_gpu_for_pytorch_and_slurm_launchers():
    env = dict(os.environ, MASTER_ADDR='127.0.0.1', CUDA_VISIBLE_DEVICES='',
               PYTHONPATH=REPO_ROOT)
    done = subprocess.run([sys.executable, '-c', INIT], env=env, capture_output=True,
                          text=True, timeout=TIMEOUT, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr[-3000:]


def dist_train(config: str, work_dir: str, options: list[str], *flags: str) -> str:
    """Runs tools/dist_train.sh with 2 processes; returns its output."""
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(free_port()),
               MASTER_ADDR='127.0.0.1', OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    done = subprocess.run(
        ['bash', osp.join(REPO_ROOT, 'tools/dist_train.sh'), config, '2', '--work-dir',
         work_dir, *flags, *options], env=env, capture_output=True, text=True,
        timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def test_two_cpu_processes_train_in_step_and_resume_exactly(moving_digits_root, tmp_path):
    config = str(tmp_path / 'tsn_2proc.py')
    with open(config, 'w') as f:
        f.write(CONFIG)
    options = tiny_data_options(moving_digits_root, **{'train_cfg.max_epochs': 2})
    straight = str(tmp_path / 'straight')
    log = dist_train(config, straight, options)
    assert 'gloo instead of nccl' in log
    rank0 = torch.load(osp.join(straight, 'rank0_params.pth'), weights_only=True)
    rank1 = torch.load(osp.join(straight, 'rank1_params.pth'), weights_only=True)
    for key in rank0:
        assert torch.equal(rank0[key], rank1[key]), key
    first = params(osp.join(straight, 'epoch_1.pth'))
    assert not torch.equal(first['cls_head.fc_cls.weight'], rank0['cls_head.fc_cls.weight'])
    # Both ranks' random states are in the checkpoint; resuming epoch 2 from it is exact.
    assert len(torch.load(osp.join(straight, 'epoch_2.pth'),
                          weights_only=True)['rng_states']) == 2

    resumed = str(tmp_path / 'resumed')
    os.makedirs(resumed)
    shutil.copy(osp.join(straight, 'epoch_1.pth'), resumed)
    dist_train(config, resumed, options, '--resume', osp.join(resumed, 'epoch_1.pth'))
    expected, got = params(osp.join(straight, 'epoch_2.pth')), params(
        osp.join(resumed, 'epoch_2.pth'))
    for key in expected:
        assert torch.equal(got[key], expected[key]), key
