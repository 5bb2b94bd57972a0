# IBP certified training (Gowal et al., 2018) of the gestures ConvNet: ε ramps from 0 and κ
# from 1 to 0.5 after a nominal warm-up.
_base_ = ['./standard_convnet_1xb64-10e_tiny-gestures.py']
model = dict(method='ibp', kappa=0.5)
custom_hooks = [dict(type='RobustScheduleHook', warmup_iters=20, ramp_iters=60)]
