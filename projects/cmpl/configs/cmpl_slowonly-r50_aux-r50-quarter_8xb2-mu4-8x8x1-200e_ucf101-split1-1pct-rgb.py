# CMPL, UCF-101 split 1 with 1 % labels (paper: 25.1 % top-1), 101 classes.
_base_ = [
    'mmaction::_base_/default_runtime.py',
    '_base_/models/cmpl_slowonly-r50_aux-r50-quarter.py',
    '_base_/datasets/ucf101-split1-semi_32x2x1.py',
    '_base_/schedules/sgd-cosine-200e.py',
]
custom_imports = dict(imports=['projects.cmpl'], allow_failed_imports=False)

model = dict(primary=dict(cls_head=dict(num_classes=101)),
             auxiliary=dict(cls_head=dict(num_classes=101)))
default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=3, save_best='auto'))
custom_hooks = [dict(type='ExportPrimaryHook')]
