"""Building and loading the C++ trajectory-gather extension (never silently at import).

The extension is compiled just in time with ``torch.utils.cpp_extension.load`` from
``csrc/trajectory_gather.cpp`` into a cache folder, ``~/.cache/mmplug/torch_extensions/``
(``MMPLUG_CACHE`` moves ``~/.cache/mmplug``, as for the mmcv wheel). Nothing is compiled unless
asked for, either by calling :func:`build_ext` or by setting ``MMPLUG_BUILD_OPS=1`` before
``projects.ttvsr.ops`` is imported. Until then :func:`trajectory_gather` runs its PyTorch
implementation. A second build with unchanged sources only loads the cached library.
"""
from __future__ import annotations

import os
import os.path as osp
from types import ModuleType

_CSRC = osp.join(osp.dirname(osp.abspath(__file__)), 'csrc')
_SOURCES = [osp.join(_CSRC, 'trajectory_gather.cpp')]
_EXTENSION: ModuleType | None = None


def cache_dir() -> str:
    """Where the compiled extension is kept: ``$MMPLUG_CACHE/torch_extensions/``."""
    root = os.environ.get('MMPLUG_CACHE', osp.join(osp.expanduser('~'), '.cache', 'mmplug'))
    return osp.join(root, 'torch_extensions', 'ttvsr_trajectory_gather')


def build_ext(verbose: bool = False) -> ModuleType:
    """Compile (first time) and load the C++ extension; later calls return the loaded module.

    Needs a C++20 compiler (torch 2.14's headers require C++20; ``load`` passes ``-std=c++20``)
    and ninja. The first build takes about a minute on one core.

    Args:
        verbose (bool): Print the compiler commands. Default False.

    Returns:
        ModuleType: the extension, with ``forward`` and ``backward`` functions.
    """
    global _EXTENSION
    if _EXTENSION is None:
        from torch.utils.cpp_extension import load

        build_directory = cache_dir()
        os.makedirs(build_directory, exist_ok=True)
        _EXTENSION = load(name='ttvsr_trajectory_gather', sources=_SOURCES,
                          build_directory=build_directory,
                          extra_cflags=['-O3', '-fopenmp'],
                          extra_ldflags=['-fopenmp'], verbose=verbose)
    return _EXTENSION


def loaded_extension() -> ModuleType | None:
    """The C++ extension if :func:`build_ext` has loaded it, else None (use PyTorch)."""
    return _EXTENSION


if os.environ.get('MMPLUG_BUILD_OPS') == '1':
    build_ext()
