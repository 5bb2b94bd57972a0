# The frame-wise baseline on the digit-order videos: TSN (mmaction2's ResNet-18, average
# consensus). The label is the order of the frames, so it is at chance (1/6) by construction.
_base_ = [
    'mmaction::_base_/models/tsn_r50.py',
    'mmaction::_base_/default_runtime.py',
    '_base_/schedules/adamw-cosine-10e.py',
    '_base_/datasets/digit-order.py',
]
custom_imports = dict(
    imports=['projects.mvfnet', 'projects.mvfnet.datasets.embedded_digit_order'],
    allow_failed_imports=False)

model = dict(
    backbone=dict(depth=18, pretrained=None, norm_eval=False),
    cls_head=dict(in_channels=512, num_classes=6, dropout_ratio=0.2, init_std=0.01,
                  average_clips='prob'),
    data_preprocessor=dict(mean=[128.0, 128.0, 128.0], std=[64.0, 64.0, 64.0]))
default_hooks = dict(logger=dict(interval=25), checkpoint=dict(max_keep_ckpts=1))
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
