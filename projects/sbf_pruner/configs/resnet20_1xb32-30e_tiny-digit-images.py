# The unpruned baseline trained as long as the 30-epoch SbF-Pruner config.
_base_ = ['./resnet20_1xb32-15e_tiny-digit-images.py']
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=29, by_epoch=True, begin=1, end=30),
]
train_cfg = dict(max_epochs=30, val_interval=10)
