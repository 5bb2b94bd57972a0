# MTAN (SegNet, equal weights) on NYUv2 13 classes + depth + normals, 288x384: the paper's
# Table 3 "MTAN Equal" (17.72 mIoU with the legacy metric), the official recipe.
_base_ = [
    './_base_/models/mtan_segnet.py', './_base_/datasets/nyuv2.py',
    './_base_/schedules/adam-200e_step100.py', './_base_/default_runtime.py'
]
custom_imports = dict(imports=['projects.mtan'], allow_failed_imports=False)
