"""The C++ trajectory gather equals the PyTorch one (values and gradients), when it can build."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import torch

import projects.ttvsr.ops.build as build
from projects.ttvsr.models import TTVSRNet
from projects.ttvsr.ops import build_ext, trajectory_gather
from tests.conftest import REPO_ROOT

from .test_trajectory_gather import random_case

# projects/ttvsr/ops/build.py run on its own, as importing projects.ttvsr.ops runs it, without
# the seconds of importing mmagic through projects.ttvsr.
LOAD_BUILD_MODULE = (
    'import importlib.util; '
    "spec = importlib.util.spec_from_file_location('build', 'projects/ttvsr/ops/build.py'); "
    'build = importlib.util.module_from_spec(spec); spec.loader.exec_module(build); ')

missing = [tool for tool in ('c++', 'ninja') if shutil.which(tool) is None]


@pytest.fixture(scope='module')
def extension():
    """Build (or load the cached build of) the extension; unload it after this module so that
    the other tests keep running the PyTorch implementation."""
    if missing:
        pytest.skip(f'no {" and no ".join(missing)} on PATH: the C++ extension cannot build')
    previous = build._EXTENSION
    yield build_ext()
    build._EXTENSION = previous


@pytest.mark.parametrize('with_frames', [False, True])
@pytest.mark.parametrize('dtype', [torch.float, torch.double])
def test_values_and_gradients_equal_pytorch(extension, with_frames, dtype):
    tokens, locations, frames = random_case(n=2, num_frames=4, grid=(5, 6), channels=33,
                                            reads=4, dtype=dtype)
    locations = locations + torch.empty_like(locations).uniform_(-0.4, 0.4)
    frames = frames if with_frames else None
    weights = torch.randn(2, 4, 5, 6, 33, dtype=dtype)
    outs, grads = [], []
    for backend in ('cpp', 'pytorch'):
        leaf = tokens.clone().requires_grad_(True)
        out = trajectory_gather(leaf, locations, frames, backend=backend)
        (out * weights).sum().backward()
        outs.append(out)
        grads.append(leaf.grad)
    torch.testing.assert_close(outs[0], outs[1], rtol=0, atol=0)
    torch.testing.assert_close(grads[0], grads[1])


def test_gradcheck_float64(extension):
    tokens, locations, frames = random_case(n=1, num_frames=2, grid=(3, 3), channels=2,
                                            reads=2, dtype=torch.double)
    tokens.requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda t: trajectory_gather(t, locations, frames, backend='cpp'), (tokens,))


def test_auto_uses_the_extension_once_built(extension, monkeypatch):
    calls = []
    monkeypatch.setattr(build, '_EXTENSION', extension)
    module = sys.modules['projects.ttvsr.ops.trajectory_gather']
    monkeypatch.setattr(module, 'trajectory_gather_pytorch', lambda *args: calls.append(args))
    tokens, locations, _ = random_case()
    assert trajectory_gather(tokens, locations).shape == (2, 3, 4, 5, 6)
    assert not calls


def test_network_output_is_the_same_with_either_backend(extension, monkeypatch):
    torch.manual_seed(0)
    net = TTVSRNet(mid_channels=8, num_blocks=1, num_extract_blocks=1).eval()
    clip = torch.rand(1, 5, 3, 8, 12)
    with torch.no_grad():
        monkeypatch.setattr(build, '_EXTENSION', extension)
        with_cpp = net(clip)
        monkeypatch.setattr(build, '_EXTENSION', None)
        without = net(clip)
    torch.testing.assert_close(with_cpp, without, rtol=0, atol=0)


def test_importing_never_builds(tmp_path):
    """Without MMPLUG_BUILD_OPS=1 or build_ext(), import compiles and loads nothing."""
    env = {k: v for k, v in os.environ.items() if k != 'MMPLUG_BUILD_OPS'}
    env['MMPLUG_CACHE'] = str(tmp_path)
    code = LOAD_BUILD_MODULE + 'print(build.loaded_extension())'
    out = subprocess.run([sys.executable, '-c', code], cwd=REPO_ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == 'None'
    assert not os.listdir(tmp_path)


def test_the_environment_switch_loads_the_extension_at_import(extension):
    """MMPLUG_BUILD_OPS=1 builds (here: loads the fixture's cached build) at import."""
    env = dict(os.environ, MMPLUG_BUILD_OPS='1')
    code = LOAD_BUILD_MODULE + 'print(build.loaded_extension() is not None)'
    out = subprocess.run([sys.executable, '-c', code], cwd=REPO_ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == 'True'
