# The same model, schedule and clips with the BD degradation (Gaussian blur sigma 1.6, every 4th
# pixel; the official degradation/BD_degradation.m) instead of BI.
_base_ = ['./single-frame_c32n4_1xb4-1800iter_tiny-embedded-vsr-bi.py']

train_dataloader = dict(dataset=dict(dataset=dict(data_prefix=dict(img='BDx4'))))
val_dataloader = dict(dataset=dict(dataset=dict(data_prefix=dict(img='BDx4'))))
test_dataloader = dict(dataset=dict(dataset=dict(data_prefix=dict(img='BDx4'))))
