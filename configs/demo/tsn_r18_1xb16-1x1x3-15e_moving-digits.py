# The default demo (`make demo`): a TSN with a ResNet-18 trained from scratch on the embedded
# moving-digits videos; mmaction2's own model, dataset and pipeline classes.
_base_ = [
    'mmaction::_base_/models/tsn_r50.py',
    'mmaction::_base_/default_runtime.py',
    '../_base_/datasets/moving-digits.py',
    '../_base_/schedules/sgd_cosine.py',
]
custom_imports = dict(imports=['projects.common'], allow_failed_imports=False)

model = dict(
    backbone=dict(depth=18, pretrained=None, norm_eval=False),
    cls_head=dict(in_channels=512, num_classes=10, dropout_ratio=0.2, average_clips='prob'))

max_epochs = 15
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, by_epoch=True, begin=0, end=max_epochs)]
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=1e-4),
    clip_grad=None)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(max_keep_ckpts=1))
# A fixed seed makes the demo's numbers reproducible (and resuming exact).
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
