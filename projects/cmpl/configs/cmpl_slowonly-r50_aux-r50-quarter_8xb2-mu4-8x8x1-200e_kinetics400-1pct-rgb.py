# CMPL, Kinetics-400 with 1 % labels (paper: 17.6 % top-1): F = SlowOnly R50 8x8 from scratch,
# A = the same at 1/4 width on 32x2 clips of the same window; tau 0.95, lambda 1, mu 4 (not
# confirmed, see README).
_base_ = [
    'mmaction::_base_/default_runtime.py',
    '_base_/models/cmpl_slowonly-r50_aux-r50-quarter.py',
    '_base_/datasets/kinetics400-semi_32x2x1.py',
    '_base_/schedules/sgd-cosine-200e.py',
]
custom_imports = dict(imports=['projects.cmpl'], allow_failed_imports=False)

default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=3, save_best='auto'))
custom_hooks = [dict(type='ExportPrimaryHook')]
