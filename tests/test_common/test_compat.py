"""Each compatibility fix in projects/common/compat.py, with a check that fails without it."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub

from projects.common import compat
from tests.conftest import REPO_ROOT


def test_mmengine_checkpoint_objects_load_with_weights_only(tmp_path):
    hub = MessageHub.get_instance('compat-test')
    hub.update_scalar('train/loss', np.float32(0.5))
    hub.update_scalar('val/acc', 0.75)
    hub.update_info('best_score', np.float64(0.9))
    checkpoint = dict(meta=dict(epoch=2, best=np.float64(0.9), dtype=np.dtype('float32')),
                      message_hub=hub.state_dict(),
                      state_dict={'w': torch.ones(2)})
    path = tmp_path / 'ckpt.pth'
    torch.save(checkpoint, path)
    # A fresh process, as when resuming: nothing has touched HistoryBuffer there yet.
    code = (f'import projects, torch; c = torch.load({str(path)!r}); '  # weights_only=True
            "h = c['message_hub']['log_scalars']['train/loss']; "
            "print(type(h).__name__, h.mean(), c['meta']['best'])")
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                            cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ['HistoryBuffer', '0.5', '0.9']


class _Exploit:
    def __reduce__(self):
        return (os.system, ('echo pwned',))


def test_untrusted_pickle_is_still_refused(tmp_path):
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': _Exploit()}, path)
    with pytest.raises(pickle.UnpicklingError, match='system'):
        torch.load(path)


def test_getattr_in_a_checkpoint_is_limited_to_history_buffer_statistics(tmp_path):
    path = tmp_path / 'getattr.pth'
    # What a pickle would do to reach module globals through an allowed function.
    torch.save(_GetattrPayload(np.core.multiarray._reconstruct, '__globals__'), path)
    with pytest.raises(pickle.UnpicklingError, match='Refused getattr'):
        torch.load(path)


class _GetattrPayload:
    def __init__(self, obj, name):
        self.obj, self.name = obj, name

    def __reduce__(self):
        return (getattr, (self.obj, self.name))


def test_only_the_listed_classes_are_allowed():
    allowed = set(torch.serialization.get_safe_globals())
    assert set(compat.checkpoint_safe_globals()) <= allowed
    assert os.system not in allowed and eval not in allowed and getattr not in allowed


def test_mmaction_models_import_and_drn_explains_itself():
    import mmaction.models  # noqa: F401
    from mmaction.registry import MODELS
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmaction'), \
            pytest.raises(ImportError, match='DRN is unavailable'):
        MODELS.build(dict(type='DRN'))


def test_without_the_fix_mmaction_models_fails_to_import():
    # Guards the premise of provide_missing_drn: if a future mmaction2 ships drn, drop the fix.
    code = 'import mmaction.models'
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert result.returncode != 0 and 'drn' in result.stderr


def test_corrupt_video_error_names_the_file(tmp_path):
    from mmaction.datasets.transforms import DecordInit
    bad = tmp_path / 'broken.mp4'
    bad.write_bytes(b'\x00\x00\x00\x18ftypmp42' + os.urandom(512))
    with pytest.raises(RuntimeError, match='broken.mp4.*corrupt'):
        DecordInit().transform(dict(filename=str(bad)))


def test_fixes_are_idempotent():
    from mmaction.datasets.transforms import DecordInit
    transform, allowed = DecordInit.transform, torch.serialization.get_safe_globals()
    compat.apply_all()
    assert DecordInit.transform is transform
    assert len(torch.serialization.get_safe_globals()) == len(allowed)


def test_action_visualization_hook_passes_arguments_the_visualizer_takes():
    import inspect

    from mmaction.engine.hooks import VisualizationHook
    from mmaction.visualization import ActionVisualizer
    ActionVisualizer.get_instance('compat-test')
    hook = VisualizationHook(enable=True, show=False)
    accepted = inspect.signature(ActionVisualizer.add_datasample).parameters
    assert set(hook.draw_args) <= set(accepted), hook.draw_args
