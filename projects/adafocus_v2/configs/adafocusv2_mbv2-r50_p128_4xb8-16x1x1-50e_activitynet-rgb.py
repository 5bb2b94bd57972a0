# AdaFocusV2-MN2/RN on ActivityNet v1.3, 128x128 patches: 79.0 mAP at 27.0 GFLOPs per video
# in the paper (README model zoo of the official code; not reproduced here).
_base_ = [
    '_base_/models/adafocusv2_mbv2-r50.py',
    '_base_/datasets/activitynet.py',
    '_base_/schedules/sgd-cosine-50e_activitynet.py',
    'mmaction::_base_/default_runtime.py',
]
custom_imports = dict(imports=['projects.adafocus_v2'], allow_failed_imports=False)
