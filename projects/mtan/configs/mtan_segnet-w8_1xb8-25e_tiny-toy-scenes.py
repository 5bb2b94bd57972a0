# MTAN (equal weights) on the toy scenes: SegNet at 1/8 of the official width, 3 tasks.
_base_ = [
    './_base_/models/mtan_segnet.py', './_base_/datasets/toy-scenes.py',
    './_base_/schedules/adam-tiny.py', './_base_/default_runtime.py'
]
custom_imports = dict(
    imports=['projects.mtan', 'projects.mtan.datasets.embedded_scenes'],
    allow_failed_imports=False)
model = dict(backbone=dict(filters=(8, 16, 32, 32, 32)), num_classes=4)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=25, max_keep_ckpts=1))
randomness = dict(seed=0)
