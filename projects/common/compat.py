"""Fixes that make the 2023 OpenMMLab releases run on PyTorch 2.14 (applied on ``import projects``).

Each fix is a function with the reason in its docstring and a test in
``tests/test_common/test_compat.py`` that fails without it. All are idempotent.
"""
from __future__ import annotations

import functools
import importlib.util
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
