# Pre-training on cluttered-digit stills, the stand-in for the ImageNet weights the paper starts
# f_G and f_L from (official code: models/adafocus_v2.py, `AdaFocus`): a ResNet-18 classifies
# one 40x40 still (a TSN with one segment).
# Its checkpoint initialises the `*_stills-pretrained-*` tiny configs.
_base_ = [
    'mmaction::_base_/models/tsn_r50.py',
    'mmaction::_base_/default_runtime.py',
    '_base_/schedules/sgd-cosine-12e.py',
    '_base_/datasets/cluttered-digit-stills.py',
]
custom_imports = dict(
    imports=['projects.adafocus_v2', 'projects.adafocus_v2.datasets.embedded_cluttered_digits'],
    allow_failed_imports=False)

model = dict(
    backbone=dict(depth=18, pretrained=None, norm_eval=False),
    cls_head=dict(in_channels=512, num_classes=10, dropout_ratio=0.2, average_clips='prob'),
    data_preprocessor=dict(mean=[128.0, 128.0, 128.0], std=[64.0, 64.0, 64.0]))

max_epochs = 6
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, by_epoch=True, begin=0, end=max_epochs)]
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=1e-4),
    clip_grad=None)
default_hooks = dict(logger=dict(interval=25), checkpoint=dict(max_keep_ckpts=1))
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
