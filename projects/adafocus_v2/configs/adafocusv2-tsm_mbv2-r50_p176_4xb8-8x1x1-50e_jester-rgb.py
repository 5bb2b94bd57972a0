# 176x176 patches: 96.9 top-1 at 33.7 GFLOPs per video in the paper (Table 5).
_base_ = ['adafocusv2-tsm_mbv2-r50_p128_4xb8-8x1x1-50e_jester-rgb.py']
model = dict(patch_size=176)
