# TRADES (Zhang et al., 2019) on the lane-keeping ConvNet; β = 6 (the paper's CIFAR-10 value).
_base_ = ['./standard_convnet_1xb64-10e_tiny-lane-keeping.py']
model = dict(method='trades', beta=6.0)
custom_hooks = [dict(type='RobustScheduleHook', warmup_iters=0, ramp_iters=40)]
