"""The TTVSR benchmark tool end to end, on untrained tiny models and a small dataset."""
from __future__ import annotations

import os.path as osp
import runpy

from tests.conftest import REPO_ROOT, random_checkpoint
from tests.test_ttvsr.conftest import CONFIGS

MODELS_UNDER_TEST = {
    'single-frame': 'single-frame_c32n4_1xb4-1800iter_tiny-embedded-vsr-bi.py',
    'BasicVSR': 'basicvsr_c32n2_1xb4-1800iter_tiny-embedded-vsr-bi.py',
    'TTVSR': 'ttvsr_c32n4_1xb4-1800iter_tiny-embedded-vsr-bi.py',
}


def test_benchmark_reports_every_method_and_length(tiny_config, tmp_path):
    benchmark = runpy.run_path(
        osp.join(REPO_ROOT, 'projects/ttvsr/tools/benchmark.py'))['main']
    args = []
    for name, base in MODELS_UNDER_TEST.items():
        cfg = tiny_config(osp.join(CONFIGS, base), tmp_path / name)
        config = str(tmp_path / f'{name}.py')
        cfg.dump(config)
        args += ['--model', name, config, random_checkpoint(cfg, str(tmp_path / f'{name}.pt'))]
    work_dir = str(tmp_path / 'bench')
    results = benchmark(args + ['--lengths', '3', '0', '--work-dir', work_dir])
    methods = results['methods']
    assert list(methods) == ['bicubic', 'single-frame', 'BasicVSR', 'TTVSR']
    # The smallest embedded VSR data: one held-out clip of 8 frames.
    assert results['data']['clips'] == 1 and results['data']['frames'] == [8]
    bicubic = methods['bicubic']['by_length']
    # Bicubic x4 of smooth photographs is far better than an untrained network's output.
    assert 20.0 < bicubic['0']['psnr_y'] < 50.0 and 0.3 < bicubic['0']['ssim_y'] <= 1.0
    for name in MODELS_UNDER_TEST:
        rows = methods[name]['by_length']
        assert set(rows) == {'3', '0'}
        assert rows['0']['psnr_y'] < bicubic['0']['psnr_y']
        assert len(methods[name]['psnr_y_per_frame']) == 8
    assert osp.isfile(osp.join(work_dir, 'benchmark.json'))
    assert osp.isfile(results['side_by_side'])
