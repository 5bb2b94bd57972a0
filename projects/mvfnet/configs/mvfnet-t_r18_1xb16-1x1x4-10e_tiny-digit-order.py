# MVFNet with the temporal view only (mode T: a learnable channel-wise temporal convolution).
_base_ = ['./mvfnet_r18_1xb16-1x1x4-10e_tiny-digit-order.py']
custom_imports = dict(
    imports=['projects.mvfnet', 'projects.mvfnet.datasets.embedded_digit_order'],
    allow_failed_imports=False)

model = dict(backbone=dict(mode='T'))
