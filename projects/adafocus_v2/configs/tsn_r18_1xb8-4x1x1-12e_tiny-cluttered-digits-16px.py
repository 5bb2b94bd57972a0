# Baseline: a full-frame TSN at the resolution of AdaFocusV2's global encoder (16x16), with
# the same backbone as f_G (the first two ResNet-18 stages), same data, schedule and frames.
_base_ = [
    'mmaction::_base_/models/tsn_r50.py',
    'mmaction::_base_/default_runtime.py',
    '_base_/schedules/sgd-cosine-12e.py',
    '_base_/datasets/cluttered-digits.py',
]
custom_imports = dict(
    imports=['projects.adafocus_v2', 'projects.adafocus_v2.datasets.embedded_cluttered_digits'],
    allow_failed_imports=False)

model = dict(
    backbone=dict(depth=18, pretrained=None, norm_eval=False, num_stages=2, out_indices=(1,),
                  strides=(1, 1), dilations=(1, 1)),
    cls_head=dict(in_channels=128, num_classes=10, dropout_ratio=0.2, average_clips='prob'),
    data_preprocessor=dict(mean=[128.0, 128.0, 128.0], std=[64.0, 64.0, 64.0]))

max_epochs = 12
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, by_epoch=True)]
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=1e-4),
    clip_grad=None)
default_hooks = dict(logger=dict(interval=25), checkpoint=dict(max_keep_ckpts=1))

# The 64x64 videos downsized to the global encoder's resolution.
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=4),
    dict(type='CoarseToFineOrder'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(16, 16), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=4, test_mode=True),
    dict(type='CoarseToFineOrder'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(16, 16), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(batch_size=8, dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(dataset=dict(pipeline=val_pipeline)))
test_dataloader = dict(dataset=dict(dataset=dict(pipeline=val_pipeline)))
