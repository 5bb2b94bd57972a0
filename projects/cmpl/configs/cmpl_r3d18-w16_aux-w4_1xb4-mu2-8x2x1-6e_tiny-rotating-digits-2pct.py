# CMPL on rotating digits, 2 % labels (3 per class): F = R3D-18 (16 base channels, 8 frames),
# A = R3D-18 at 1/4 width (16 frames), cross pseudo-labels at tau 0.8, mu = 2.
_base_ = [
    'mmaction::_base_/default_runtime.py',
    '_base_/models/cmpl_tiny-r3d18.py',
    '_base_/datasets/rotating-digits-semi.py',
    '_base_/schedules/adamw-cosine-tiny.py',
]
custom_imports = dict(
    imports=['projects.cmpl', 'projects.cmpl.datasets.embedded_rotating_digits'],
    allow_failed_imports=False)

default_hooks = dict(logger=dict(interval=10), checkpoint=dict(max_keep_ckpts=1))
custom_hooks = [dict(type='ExportPrimaryHook')]
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
