"""All four OpenMMLab model zoos import together in one fresh interpreter."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_four_model_zoos_import_together():
    code = ('import projects, mmaction.models, mmagic.models, mmpretrain.models, mmdet.models, '
            'mmcv.ops; from mmcv.ops import nms, RoIAlign; print("ok")')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                            cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith('ok')
