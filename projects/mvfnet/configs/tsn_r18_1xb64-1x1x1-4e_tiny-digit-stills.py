# Pre-training on digit stills, the stand-in for the ImageNet weights MVFNet starts from: a
# ResNet-18 classifies one 32x32 still (a TSN with one segment), 10 classes. Export its
# backbone in torchvision's format (projects/mvfnet/tools/export_backbone.py) for the
# `*_stills-pretrained-*` configs, which load it as they would load torchvision's ImageNet
# weights.
_base_ = [
    'mmaction::_base_/models/tsn_r50.py',
    'mmaction::_base_/default_runtime.py',
    '_base_/schedules/adamw-cosine-10e.py',
    '_base_/datasets/digit-stills.py',
]
custom_imports = dict(
    imports=['projects.mvfnet', 'projects.mvfnet.datasets.embedded_digit_order'],
    allow_failed_imports=False)

model = dict(
    backbone=dict(depth=18, pretrained=None, norm_eval=False),
    cls_head=dict(in_channels=512, num_classes=10, dropout_ratio=0.2, init_std=0.01,
                  average_clips='prob'),
    data_preprocessor=dict(mean=[128.0, 128.0, 128.0], std=[64.0, 64.0, 64.0]))

max_epochs = 4
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, by_epoch=True)]
default_hooks = dict(logger=dict(interval=25), checkpoint=dict(max_keep_ckpts=1))
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
