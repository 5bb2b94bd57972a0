# MART (Wang et al., 2020) on the gesture ConvNet; λ = 5 (the paper's CIFAR-10 value).
_base_ = ['./standard_convnet_1xb64-10e_tiny-gestures.py']
model = dict(method='mart', mart_lambda=5.0)
custom_hooks = [dict(type='RobustScheduleHook', warmup_iters=0, ramp_iters=40)]
