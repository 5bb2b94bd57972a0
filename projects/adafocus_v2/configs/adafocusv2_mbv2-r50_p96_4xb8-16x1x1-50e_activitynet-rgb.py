# 96x96 patches: 77.4 mAP at 17.6 GFLOPs per video in the paper.
_base_ = ['adafocusv2_mbv2-r50_p128_4xb8-16x1x1-50e_activitynet-rgb.py']
model = dict(patch_size=96)
