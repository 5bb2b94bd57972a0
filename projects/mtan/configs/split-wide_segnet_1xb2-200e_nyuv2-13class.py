# Split, Wide (official model_segnet_split.py --type wide: last stage 1024 channels), on NYUv2.
_base_ = ['./split_segnet_1xb2-200e_nyuv2-13class.py']
model = dict(backbone=dict(filters=(64, 128, 256, 512, 1024)))
