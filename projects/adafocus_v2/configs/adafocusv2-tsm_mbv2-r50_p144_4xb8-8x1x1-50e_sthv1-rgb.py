# 144x144 patches (Table 5 of the paper lists top-1 and GFLOPs for 128/144/160/176).
_base_ = ['adafocusv2-tsm_mbv2-r50_p128_4xb8-8x1x1-50e_sthv1-rgb.py']
model = dict(patch_size=144)
