# PGD adversarial training of a PilotNet-size steering regressor (Bojarski et al., 2016:
# five convolutions 24-36-48 (5x5, stride 2) and 64-64 (3x3), then 1164-100-50-10 linear
# layers). ε, steps and schedule are UNCONFIRMED for the paper (README, "Differences").
_base_ = [
    './_base_/models/convnet_lane-keeping.py', './_base_/datasets/lane-keeping_disk.py',
    './_base_/schedules/adam-50e.py', 'mmpretrain::_base_/default_runtime.py'
]
custom_imports = dict(imports=['projects.adv_robot'], allow_failed_imports=False)
model = dict(
    method='pgd_at',
    model=dict(
        backbone=dict(channels=(24, 36, 48, 64, 64), kernel_sizes=(5, 5, 5, 3, 3),
                      strides=(2, 2, 2, 1, 1), pool_size=4, fc_channels=(1164, 100, 50, 10)),
        head=dict(in_channels=10)),
    attack=dict(type='PGD', eps=2 / 255, steps=10, norm='linf', random_start=True))
custom_hooks = [dict(type='RobustScheduleHook', warmup_iters=0, ramp_iters=2000)]
