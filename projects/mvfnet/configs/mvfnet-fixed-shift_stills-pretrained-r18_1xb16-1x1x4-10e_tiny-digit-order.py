# mvfnet-fixed-shift_r18_1xb16-1x1x4-10e_tiny-digit-order.py (TSM's shift at MVFNet's placement,
# res4 + res5) with its backbone initialised from the digit stills, as the other
# `*_stills-pretrained-*` configs.
_base_ = ['./mvfnet-fixed-shift_r18_1xb16-1x1x4-10e_tiny-digit-order.py']
custom_imports = dict(
    imports=['projects.mvfnet', 'projects.mvfnet.datasets.embedded_digit_order'],
    allow_failed_imports=False)

stills_backbone = 'work_dirs/tsn_r18_1xb64-1x1x1-4e_tiny-digit-stills/resnet18_torchvision.pth'
model = dict(backbone=dict(pretrained=stills_backbone))
