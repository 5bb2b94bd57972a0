# TRADES (β = 6) on a larger gesture ConvNet (64-128-256 convolutions, 512 linear units)
# over 8-frame sequences. ε, steps and schedule are UNCONFIRMED for the paper (README).
_base_ = [
    './_base_/models/convnet_gestures.py', './_base_/datasets/gestures_disk.py',
    './_base_/schedules/adam-50e.py', 'mmpretrain::_base_/default_runtime.py'
]
custom_imports = dict(imports=['projects.adv_robot'], allow_failed_imports=False)
model = dict(
    method='trades',
    beta=6.0,
    model=dict(
        backbone=dict(channels=(64, 128, 256), fc_channels=(512, )),
        head=dict(in_channels=512)),
    attack=dict(type='PGD', eps=4 / 255, steps=10, norm='linf', random_start=True))
custom_hooks = [dict(type='RobustScheduleHook', warmup_iters=0, ramp_iters=2000)]
