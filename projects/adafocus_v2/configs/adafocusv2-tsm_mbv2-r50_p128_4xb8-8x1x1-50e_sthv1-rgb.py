# AdaFocusV2 (TSM variant) on Something-Something V1, 128x128 patches, 8 glance + 12 focus
# frames: 47.0 top-1 at 18.5 GFLOPs per video in the paper (Table 5).
_base_ = [
    '_base_/models/adafocusv2-tsm_mbv2-r50.py',
    '_base_/datasets/sthv1.py',
    '_base_/schedules/sgd-cosine-50e_sthv1.py',
    'mmaction::_base_/default_runtime.py',
]
custom_imports = dict(imports=['projects.adafocus_v2'], allow_failed_imports=False)
