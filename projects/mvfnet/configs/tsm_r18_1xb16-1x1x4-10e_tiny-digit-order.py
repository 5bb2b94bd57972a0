# TSM (mmaction2's ResNetTSM: 1/8 of the channels shifted each way in every block, all stages)
# with the TSN's head, data and schedule.
_base_ = ['./tsn_r18_1xb16-1x1x4-10e_tiny-digit-order.py']
custom_imports = dict(
    imports=['projects.mvfnet', 'projects.mvfnet.datasets.embedded_digit_order'],
    allow_failed_imports=False)

model = dict(backbone=dict(type='ResNetTSM', num_segments=4, shift_div=8, pretrained2d=False))
