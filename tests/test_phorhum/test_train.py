"""One short ``tools/train.py`` run of the PHORHUM tiny config, then the mesh tool on its
checkpoint."""
import os.path as osp
import runpy

import torch

from tests.conftest import REPO_ROOT, load_tool

TINY = osp.join(REPO_ROOT,
                'projects/phorhum/configs/phorhum_unet-w16_1xb4-10e_tiny-procedural-humans.py')


def test_tools_train_then_extract_mesh(tiny_config, tmp_path):
    train = runpy.run_path(osp.join(REPO_ROOT, 'tools/train.py'))['main']
    work_dir = str(tmp_path / 'work')
    cfg = tiny_config(TINY, work_dir, train_dataloader=dict(batch_size=2),
                      val_dataloader=dict(batch_size=2))
    config = str(tmp_path / 'small.py')
    cfg.dump(config)
    runner = train([config, '--work-dir', work_dir, '--cfg-options', 'train_cfg.max_epochs=2',
                    'train_cfg.val_interval=2', 'default_hooks.logger.interval=1',
                    'default_hooks.checkpoint.interval=2'])
    assert runner.epoch == 2
    hub = runner.message_hub
    for key in ('albedo_front_psnr', 'shaded_back_ssim', 'mask_front_iou'):
        assert torch.isfinite(torch.tensor(hub.get_scalar(f'val/phorhum/{key}').current()))
    for key in ('loss_render_l1', 'loss_mask', 'loss_eikonal'):
        assert hub.get_scalar(f'train/{key}').current() >= 0
    ckpt = osp.join(work_dir, 'epoch_2.pth')
    written = load_tool('projects/phorhum/tools/extract_mesh.py').main(
        [config, ckpt, '--out-dir', str(tmp_path / 'meshes'), '--num', '1',
         '--resolution', '20', '--render'])
    assert sum(p.endswith('.ply') for p in written) == 2
    assert any(p.endswith('_renders.png') for p in written)
