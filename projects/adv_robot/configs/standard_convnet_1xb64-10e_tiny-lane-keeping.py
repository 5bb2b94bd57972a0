# Standard (nominal) training of the lane-keeping ConvNet on the embedded data.
_base_ = [
    './_base_/models/convnet_lane-keeping.py', './_base_/datasets/lane-keeping.py',
    './_base_/schedules/adam-tiny.py', 'mmpretrain::_base_/default_runtime.py'
]
custom_imports = dict(
    imports=['projects.adv_robot', 'projects.adv_robot.datasets.embedded_lane_keeping'],
    allow_failed_imports=False)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=10, max_keep_ckpts=1))
randomness = dict(seed=0)
