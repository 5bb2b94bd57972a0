# AdaFocusV2 with a ResNet-50 glance (the paper's "RN" models; official
# models/adafocus_v2.py with `--glance_arch res50`): f_G is ResNet-50 on every frame downsized
# to 96x96 (bilinear, align_corners=True; 2048x3x3 maps), the rest as the MobileNetV2 design.
# 78.9 mAP at 34.1 GFLOPs per video (official README). The paper starts f_G from a ResNet-50
# pre-trained on ImageNet at 96x96 (Initialization_model_prime_resnet50_patch_size_96.pth).
_base_ = ['adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py']
model = dict(
    global_size=96,
    global_encoder=dict(_delete_=True, type='ResNet', depth=50, pretrained=None),
    global_channels=2048,
    policy=dict(in_channels=2048, spatial_size=3),
    classifier=dict(in_channels=2048 + 2048))
