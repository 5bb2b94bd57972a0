# MVFNet (views T+H+W, alpha 1/8, res4 + res5 as the released models) with the TSN's head,
# data and schedule.
_base_ = ['./tsn_r18_1xb16-1x1x4-10e_tiny-digit-order.py']
custom_imports = dict(
    imports=['projects.mvfnet', 'projects.mvfnet.datasets.embedded_digit_order'],
    allow_failed_imports=False)

model = dict(
    backbone=dict(type='ResNetMVF', num_segments=4, mvf_freq=(0, 0, 1, 1), alpha=0.125,
                  mode='THW'))
