"""Fixes that make the 2023 OpenMMLab releases run on PyTorch 2.14 (applied on ``import projects``).

Each fix is a function with the reason in its docstring and a test that fails without it:
``tests/test_common/test_compat.py``, and for the fixes behind exact resume, crash-safe
checkpoints and training without a GPU ``test_engine.py``, ``test_fault_tolerance.py`` and
``test_dist_cpu.py`` beside it. All are idempotent.
"""
from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import os.path as osp
import pickle
import sys
import types
import warnings


def checkpoint_safe_globals() -> list:
    """Returns exactly the non-tensor classes found in mmengine 0.10 checkpoints.

    A checkpoint saved by mmengine's ``Runner`` holds, besides tensors and builtins, the
    message hub's :class:`~mmengine.logging.HistoryBuffer` objects, the numpy arrays inside
    them and numpy scalars (e.g. the best metric of ``CheckpointHook``).
    """
    import numpy as np
    from mmengine.logging import HistoryBuffer
    dtypes = {type(np.dtype(t)) for t in (np.float16, np.float32, np.float64, np.int8,
                                          np.int16, np.int32, np.int64, np.uint8, np.bool_)}
    return [HistoryBuffer, np.ndarray, np.dtype, np.core.multiarray._reconstruct,
            np.core.multiarray.scalar, *sorted(dtypes, key=lambda t: t.__name__)]


def history_buffer_getattr(obj, name: str):
    """The only ``getattr`` that a checkpoint may call: a statistic of ``HistoryBuffer``.

    Python pickles the functions in ``HistoryBuffer._statistics_methods`` (``min``, ``max``,
    ``current``, ``mean``, and any registered later) as ``getattr(HistoryBuffer, 'min')``.
    Allow-listing the real ``getattr`` would let a pickle reach any attribute of an allowed
    object (``__globals__``, ``__subclasses__``) and run arbitrary code, so this stand-in is
    registered under the name ``builtins.getattr`` instead and refuses everything else.
    """
    from mmengine.logging import HistoryBuffer
    # The defaults are registered only when the first HistoryBuffer is created, which in a
    # fresh process (resuming, testing) happens after the checkpoint is read.
    statistics = {'min', 'max', 'current', 'mean', *HistoryBuffer._statistics_methods}
    if obj is HistoryBuffer and name in statistics:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'Refused getattr({obj!r}, {name!r}) in a checkpoint: only HistoryBuffer statistics '
        'may be looked up. Load the file with weights_only=False only if you trust it.')


def allow_mmengine_checkpoints() -> None:
    """Lets ``torch.load`` read mmengine checkpoints with ``weights_only=True`` (torch >= 2.6).

    mmengine 0.10.7 calls ``torch.load`` without ``weights_only``, so ``Runner.resume`` raises
    ``UnpicklingError`` on its own checkpoints. Rather than turning ``weights_only`` off (which
    would execute arbitrary pickles), this allow-lists exactly the classes those checkpoints
    contain; any other global in a pickle is still refused.
    """
    import torch
    torch.serialization.add_safe_globals(
        [*checkpoint_safe_globals(), (history_buffer_getattr, 'builtins.getattr')])


class _MissingDRN:
    """Stands in for mmaction2's DRN localizer, absent from the PyPI release of 1.2.0."""

    def __init__(self, *args, **kwargs) -> None:
        raise ImportError(
            'DRN is unavailable: the PyPI release of mmaction2 1.2.0 lacks '
            'mmaction/models/localizers/drn. Install mmaction2 from its git repository '
            '(tag v1.2.0) to use DRN; every other mmaction2 model works without it.')


def provide_missing_drn() -> None:
    """Makes ``import mmaction.models`` work although mmaction2 1.2.0's wheel lacks ``drn``.

    ``mmaction/models/localizers/__init__.py`` imports ``.drn.drn.DRN``, which the PyPI wheel
    and sdist do not ship. A placeholder module is put in ``sys.modules`` (only when the real
    one is missing); building ``type='DRN'`` then raises an error that says why.
    """
    spec = importlib.util.find_spec('mmaction')
    if spec is None or not spec.submodule_search_locations:
        return
    root = spec.submodule_search_locations[0]
    if osp.isfile(osp.join(root, 'models', 'localizers', 'drn', 'drn.py')):
        return
    name = 'mmaction.models.localizers.drn'
    if name in sys.modules:
        return
    package = types.ModuleType(name, 'Placeholder for the DRN localizer (see projects.common).')
    package.__path__ = []
    module = types.ModuleType(f'{name}.drn')
    module.DRN = _MissingDRN
    package.drn = module
    sys.modules[name] = package
    sys.modules[f'{name}.drn'] = module
    from mmaction.registry import MODELS
    MODELS.register_module('DRN', module=_MissingDRN, force=True)


def name_files_in_decode_errors() -> None:
    """Makes a corrupt or unreadable video raise an error that names the file.

    mmaction2's ``DecordInit`` opens the video from bytes, so decord's error names neither the
    file nor the annotation list it came from. The wrapped transform re-raises with both.
    """
    from mmaction.datasets.transforms.loading import DecordInit
    if getattr(DecordInit.transform, '_mmplug_wrapped', False):
        return
    original = DecordInit.transform

    @functools.wraps(original)
    def transform(self, results: dict) -> dict:
        try:
            return original(self, results)
        except Exception as e:
            path = results.get('filename', '<unknown>')
            raise RuntimeError(
                f'Cannot decode video {path!r} with decord ({type(e).__name__}: {e}). '
                'The file is corrupt, truncated or not a video: re-encode it, or remove it '
                'from the annotation file.') from e

    transform._mmplug_wrapped = True
    DecordInit.transform = transform


def fix_action_visualization_hook() -> None:
    """Makes mmaction2's ``VisualizationHook`` (``tools/test.py --show-dir``) work.

    In mmaction2 1.2.0 the hook passes ``show=`` to ``ActionVisualizer.add_datasample``, whose
    argument is ``show_frames``, so every visualised sample raised ``TypeError``.
    """
    from mmaction.engine.hooks import VisualizationHook
    if getattr(VisualizationHook.__init__, '_mmplug_wrapped', False):
        return
    original = VisualizationHook.__init__

    @functools.wraps(original)
    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        self.draw_args['show_frames'] = self.draw_args.pop('show')

    init._mmplug_wrapped = True
    VisualizationHook.__init__ = init


def seed_dataloaders_per_epoch() -> None:
    """Makes every dataloader that ``Runner`` builds draw from (seed, epoch, rank, worker).

    mmengine seeds a worker once from ``(seed, rank, worker id)``: persistent workers carry
    their streams across epochs, and with ``num_workers=0`` the pipeline shares the model's
    streams, so after ``--resume`` the data is augmented differently than in an uninterrupted
    run. :func:`projects.common.engine.seed_dataloader` fixes both. A loader whose config names
    its own ``worker_init_fn``, or a run without a seed, is left as mmengine builds it.
    """
    from mmengine.runner import Runner

    from .engine import seed_dataloader
    original = Runner.build_dataloader
    if getattr(original, '_mmplug_wrapped', False):
        return

    @functools.wraps(original)
    def build_dataloader(dataloader, seed=None, diff_rank_seed=False):
        loader = original(dataloader, seed=seed, diff_rank_seed=diff_rank_seed)
        if isinstance(dataloader, dict) and 'worker_init_fn' not in dataloader and (
                seed is not None):
            seed_dataloader(loader, seed)
        return loader

    build_dataloader._mmplug_wrapped = True
    Runner.build_dataloader = staticmethod(build_dataloader)


def write_checkpoint_atomically(checkpoint: dict, filename: str, file_client_args=None,
                                backend_args=None, *, save=None) -> None:
    """Writes a local checkpoint to ``<filename>.part``, then renames it to ``filename``.

    A process killed while writing leaves at most a ``.part`` file, never a truncated
    checkpoint under the real name. Remote paths (``s3://``, ``pavi://``, ...) and custom
    backends go to mmengine's ``save`` unchanged (object stores replace objects atomically).
    """
    import torch
    if file_client_args is not None or backend_args is not None or '://' in str(filename):
        return save(checkpoint, filename, file_client_args=file_client_args,
                    backend_args=backend_args)
    os.makedirs(osp.dirname(osp.abspath(filename)), exist_ok=True)
    with _replace_when_written(filename, 'wb') as f:
        torch.save(checkpoint, f)


@contextlib.contextmanager
def _replace_when_written(path: str, mode: str = 'w'):
    """A file for writing (``mode`` 'w' or 'wb') whose content replaces ``path`` only once it
    is complete and on disk; a failure removes the partial file."""
    partial = f'{path}.part'
    try:
        with open(partial, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(partial)
        raise


def _open_for_checkpoint_hook(file, mode: str = 'r', *args, **kwargs):
    """``open`` as ``CheckpointHook`` sees it: writing (``last_checkpoint``) is atomic."""
    if mode == 'w' and not args and not kwargs:
        return _replace_when_written(file)
    return open(file, mode, *args, **kwargs)


@contextlib.contextmanager
def _deferred_removals(backend):
    """Collects the ``remove``/``rmtree`` calls made on ``backend`` instead of running them."""
    removals = []
    saved = {name: vars(backend).get(name) for name in ('remove', 'rmtree')}
    for name in saved:
        setattr(backend, name, functools.partial(
            lambda name, path: removals.append((name, path)), name))
    try:
        yield removals
    finally:
        for name, previous in saved.items():
            if previous is None:
                delattr(backend, name)
            else:
                setattr(backend, name, previous)


def save_checkpoints_atomically() -> None:
    """Makes a crash while saving a checkpoint lose nothing.

    mmengine 0.10.7 writes a checkpoint directly under its final name, and ``CheckpointHook``
    deletes the checkpoint that falls out of ``max_keep_ckpts`` (and the previous best one)
    *before* writing the new one: a process killed during the write leaves a truncated file
    and, with ``max_keep_ckpts=1``, no good checkpoint at all. Now the new file is written
    aside and renamed when complete, and the old ones are deleted only after that, once
    ``last_checkpoint`` names the new one. ``last_checkpoint`` itself, which the hook rewrites
    with the builtin ``open``, is replaced the same way (the hook's module gets an ``open`` of
    its own that does so).
    """
    import mmengine.hooks.checkpoint_hook
    import mmengine.runner
    import mmengine.runner.checkpoint
    import mmengine.runner.runner
    from mmengine.hooks import CheckpointHook

    mmengine.hooks.checkpoint_hook.open = _open_for_checkpoint_hook
    original = mmengine.runner.checkpoint.save_checkpoint
    if not getattr(original, '_mmplug_wrapped', False):
        save = functools.wraps(original)(
            functools.partial(write_checkpoint_atomically, save=original))
        save._mmplug_wrapped = True
        for module in (mmengine.runner.checkpoint, mmengine.runner.runner, mmengine.runner):
            module.save_checkpoint = save

    for name in ('_save_checkpoint_with_step', '_save_best_checkpoint'):
        method = getattr(CheckpointHook, name)
        if getattr(method, '_mmplug_wrapped', False):
            continue

        @functools.wraps(method)
        def save_then_prune(self, runner, *args, _method=method, **kwargs):
            with _deferred_removals(self.file_backend) as removals:
                result = _method(self, runner, *args, **kwargs)
            current = {self.last_ckpt, getattr(self, 'best_ckpt_path', None),
                       *getattr(self, 'best_ckpt_path_dict', {}).values()}
            for operation, path in removals:
                if path not in current:
                    getattr(self.file_backend, operation)(path)
            return result

        save_then_prune._mmplug_wrapped = True
        setattr(CheckpointHook, name, save_then_prune)


def init_dist_without_gpu() -> None:
    """Makes ``--launcher pytorch`` (``tools/dist_train.sh``) work on machines without a GPU.

    mmengine 0.10.7's ``init_dist`` calls ``torch.cuda.set_device`` for every launcher, which
    fails without an NVIDIA driver, and every runtime asks for NCCL, which needs GPUs. When no
    GPU is visible, the process group now uses gloo and no device is selected, and
    ``MMDistributedDataParallel`` gets no ``device_ids`` for a model on the CPU (torch's DDP
    refuses them). With a GPU visible nothing changes.
    """
    import mmengine.dist
    import mmengine.dist.utils
    import mmengine.runner.runner
    import torch
    from mmengine.logging import print_log
    from mmengine.model import MMDistributedDataParallel

    original = mmengine.dist.utils.init_dist
    if not getattr(original, '_mmplug_wrapped', False):

        @functools.wraps(original)
        def init_dist(launcher, backend='nccl', init_backend='torch', **kwargs):
            if torch.cuda.is_available():
                return original(launcher, backend, init_backend, **kwargs)
            if backend == 'nccl':
                print_log('No GPU is visible: the process group uses gloo instead of nccl.',
                          logger='current')
                backend = 'gloo'
            set_device, torch.cuda.set_device = torch.cuda.set_device, lambda device: None
            try:
                return original(launcher, backend, init_backend, **kwargs)
            finally:
                torch.cuda.set_device = set_device

        init_dist._mmplug_wrapped = True
        for module in (mmengine.dist.utils, mmengine.dist, mmengine.runner.runner):
            module.init_dist = init_dist

    ddp_init = MMDistributedDataParallel.__init__
    if not getattr(ddp_init, '_mmplug_wrapped', False):

        @functools.wraps(ddp_init)
        def init(self, module, *args, **kwargs):
            if kwargs.get('device_ids') and all(
                    p.device.type == 'cpu' for p in module.parameters()):
                kwargs['device_ids'] = None
            ddp_init(self, module, *args, **kwargs)

        init._mmplug_wrapped = True
        MMDistributedDataParallel.__init__ = init


def quiet_known_warnings() -> None:
    """Silences deprecation warnings from the pinned stack that users cannot act on."""
    warnings.filterwarnings('ignore', message='pkg_resources is deprecated')


def apply_all() -> None:
    """Applies every fix in this module."""
    quiet_known_warnings()
    allow_mmengine_checkpoints()
    provide_missing_drn()
    name_files_in_decode_errors()
    fix_action_visualization_hook()
    seed_dataloaders_per_epoch()
    save_checkpoints_atomically()
    init_dist_without_gpu()
