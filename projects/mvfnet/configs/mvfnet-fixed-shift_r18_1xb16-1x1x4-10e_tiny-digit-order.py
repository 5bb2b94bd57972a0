# MVFNet's TSM special case: fixed shift kernels on alpha = 2/8 of the channels (1/8 each
# way), temporal view only, no BN/h-swish; with mvf_freq (1, 1, 1, 1) it is exactly the TSM
# config's network (tested on the same weights). Here it keeps MVFNet's placement (res4 + res5).
_base_ = ['./mvfnet_r18_1xb16-1x1x4-10e_tiny-digit-order.py']
custom_imports = dict(
    imports=['projects.mvfnet', 'projects.mvfnet.datasets.embedded_digit_order'],
    allow_failed_imports=False)

model = dict(backbone=dict(alpha=0.25, mode='T', use_hs=False, fixed_shift=True))
