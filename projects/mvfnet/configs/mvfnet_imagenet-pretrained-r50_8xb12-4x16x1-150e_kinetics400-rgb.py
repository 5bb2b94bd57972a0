# MVFNet-R50, Kinetics-400, dense 4x16 clips: 74.2 top-1 (30 views) at 16.454 GFLOPs per clip,
# 24.34 M parameters (official README and config docstring).
_base_ = [
    '_base_/models/mvfnet_r50.py',
    '_base_/datasets/kinetics400-rgb_dense-4x16x1.py',
    '_base_/schedules/sgd-nesterov-150e_kinetics400.py',
    'mmaction::_base_/default_runtime.py',
]
custom_imports = dict(imports=['projects.mvfnet'], allow_failed_imports=False)

model = dict(backbone=dict(num_segments=4))
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
