# MTAN (SegNet, uncertainty weighting) on CityScapes 7 classes + inverse depth, 128x256: the
# paper's Table 2 best entry (53.86 mIoU with the legacy metric), the official recipe with
# batch 8.
_base_ = [
    './_base_/models/mtan_segnet.py', './_base_/datasets/cityscapes.py',
    './_base_/schedules/adam-200e_step100.py', './_base_/default_runtime.py'
]
custom_imports = dict(imports=['projects.mtan'], allow_failed_imports=False)
model = dict(tasks=('seg', 'depth'), num_classes=7)
custom_hooks = [
    dict(type='LossWeightingHook',
         weighting=dict(type='UncertaintyWeighting', loss_keys=['loss_seg', 'loss_depth']))
]
