"""One short `tools/train.py` run of the tiny TTVSR config, and its missing-checkpoint error."""
from __future__ import annotations

import os
import os.path as osp
import runpy

import cv2
import numpy as np
import pytest
import torch

from tests.conftest import REPO_ROOT
from tests.test_ttvsr.conftest import TINY_TTVSR


def train_main():
    return runpy.run_path(osp.join(REPO_ROOT, 'tools/train.py'))['main']


def held_out_psnr(generator, root: str) -> float:
    """PSNR-Y of ``generator`` on the held-out clips, recomputed outside mmagic's loops.

    Each clip is read from disk and super-resolved whole; per frame, mmagic's ``psnr`` on Y of
    the RGB prediction clamped to [0, 255]; averaged per clip, then over the clips.
    (Reading the channels as BGR instead gives 0.37 dB less on the small dataset.)
    """
    from mmagic.evaluation.metrics.psnr import psnr
    with open(osp.join(root, 'meta_info_test_GT.txt')) as f:
        clips = sorted({line.split('/')[0] for line in f.read().splitlines()})

    def frames(folder, clip):
        names = sorted(os.listdir(osp.join(root, folder, clip)))
        bgr = [cv2.imread(osp.join(root, folder, clip, name)) for name in names]
        return torch.from_numpy(np.stack(bgr)[..., ::-1].copy()).permute(0, 3, 1, 2).float()

    per_clip = []
    for clip in clips:
        lr, gt = frames('BIx4', clip), frames('GT', clip)
        with torch.no_grad():
            pred = (generator(lr[None] / 255.)[0] * 255.).clamp(0, 255)
        assert pred.shape == gt.shape
        per_clip.append(np.mean([psnr(g.numpy(), p.numpy(), input_order='CHW', convert_to='Y',
                                      channel_order='RGB') for g, p in zip(gt, pred, strict=True)]))
    return float(np.mean(per_clip))


def small_config(tiny_config, tmp_path, **overrides) -> tuple[str, str]:
    """The tiny TTVSR config on the smallest clips (batch 2): its file and its data root."""
    cfg = tiny_config(TINY_TTVSR, tmp_path / 'work', train_dataloader=dict(batch_size=2),
                      **overrides)
    path = str(tmp_path / 'small.py')
    cfg.dump(path)
    return path, cfg.test_dataloader.dataset.builder.root


def test_tools_train_runs_the_tiny_ttvsr(tiny_config, tmp_path):
    config, data_root = small_config(tiny_config, tmp_path)
    work_dir = str(tmp_path / 'work')
    # 4 iterations (the DISFlow stand-in has no weights: fix_iter changes nothing); validation
    # at the end on the held-out clip, whole.
    runner = train_main()([config, '--work-dir', work_dir, '--cfg-options',
                           'train_cfg.max_iters=4', 'train_cfg.val_interval=4',
                           'model.train_cfg.fix_iter=2', 'default_hooks.logger.interval=1'])
    assert runner.iter == 4
    assert torch.isfinite(torch.tensor(runner.message_hub.get_scalar('train/loss').current()))
    # The validation PSNR is that of the trained generator on the whole held-out clips.
    psnr = runner.message_hub.get_scalar('val/PSNR').current()
    assert psnr == pytest.approx(held_out_psnr(runner.model.generator.eval(), data_root),
                                 abs=1e-3)
    state = torch.load(osp.join(work_dir, 'iter_4.pth'), map_location='cpu')['state_dict']
    assert any(k.startswith('generator.LTAM.') for k in state)


def test_missing_spynet_checkpoint_is_named(tiny_config, tmp_path):
    config, _ = small_config(
        tiny_config, tmp_path,
        model=dict(init_cfg=dict(type='Pretrained', checkpoint='no/spynet.pth')))
    with pytest.raises(FileNotFoundError, match=r"model\.init_cfg\.checkpoint = 'no/spynet\.pth'"):
        train_main()([config, '--work-dir', str(tmp_path / 'work')])
