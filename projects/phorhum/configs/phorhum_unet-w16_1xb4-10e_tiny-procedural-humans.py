# PHORHUM on the procedural humans: U-Net G of widths 16-32-64, 3x64 SDF/albedo MLP, 2x32
# shading MLP, 16-D illumination code; 3D losses + patch rendering losses (12x12 patches,
# front and back).
_base_ = [
    './_base_/models/phorhum_unet.py', './_base_/datasets/procedural-humans.py',
    './_base_/schedules/adam-tiny.py', './_base_/default_runtime.py'
]
custom_imports = dict(
    imports=['projects.phorhum', 'projects.phorhum.datasets.embedded_humans'],
    allow_failed_imports=False)
model = dict(
    encoder=dict(channels=(16, 32, 64), feat_channels=16, light_dim=16),
    implicit=dict(hidden=(64, 64, 64)),
    shading=dict(hidden=(32, 32)),
    render=dict(patch_size=12, steps=16, samples=24, mask_samples=12),
    perceptual=dict(scales=2))
default_hooks = dict(logger=dict(interval=8), checkpoint=dict(interval=10, max_keep_ckpts=1))
randomness = dict(seed=0)
