# PGD adversarial training (Madry et al., 2018) of the gestures ConvNet; ε ramps up over the
# first 2 epochs' worth of iterations (the attack is set in the model base config).
_base_ = ['./standard_convnet_1xb64-10e_tiny-gestures.py']
model = dict(method='pgd_at')
custom_hooks = [dict(type='RobustScheduleHook', warmup_iters=0, ramp_iters=40)]
