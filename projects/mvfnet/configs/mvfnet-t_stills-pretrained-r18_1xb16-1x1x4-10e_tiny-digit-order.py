# mvfnet-t_r18_1xb16-1x1x4-10e_tiny-digit-order.py with its backbone initialised from the digit
# stills, the ImageNet stand-in, exported in torchvision's format (train
# tsn_r18_1xb64-1x1x1-4e_tiny-digit-stills.py, then run projects/mvfnet/tools/export_backbone.py).
_base_ = ['./mvfnet-t_r18_1xb16-1x1x4-10e_tiny-digit-order.py']
custom_imports = dict(
    imports=['projects.mvfnet', 'projects.mvfnet.datasets.embedded_digit_order'],
    allow_failed_imports=False)

stills_backbone = 'work_dirs/tsn_r18_1xb64-1x1x1-4e_tiny-digit-stills/resnet18_torchvision.pth'
model = dict(backbone=dict(pretrained=stills_backbone))
