# 96x96 patches with the ResNet-50 glance: 77.5 mAP at 24.8 GFLOPs per video (official README).
_base_ = ['adafocusv2_r50-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py']
model = dict(patch_size=96)
