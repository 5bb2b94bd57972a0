# MVFNet-R101, Kinetics-400, dense 16x4 clips: 78.4 top-1 (30 views) at 125.452 GFLOPs per clip,
# 43.36 M parameters (official README and config docstring). MVF in all 23 res4 blocks.
_base_ = ['./mvfnet_imagenet-pretrained-r50_8xb12-16x4x1-150e_kinetics400-rgb.py']
custom_imports = dict(imports=['projects.mvfnet'], allow_failed_imports=False)

model = dict(backbone=dict(depth=101, pretrained='torchvision://resnet101'))
