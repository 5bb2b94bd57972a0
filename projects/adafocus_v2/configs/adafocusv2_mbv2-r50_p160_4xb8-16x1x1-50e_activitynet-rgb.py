# 160x160 patches: 79.9 mAP at 39.0 GFLOPs per video in the paper.
_base_ = ['adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py']
model = dict(patch_size=160)
