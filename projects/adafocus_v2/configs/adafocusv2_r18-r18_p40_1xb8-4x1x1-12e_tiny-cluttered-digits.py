# AdaFocusV2 at CPU size on cluttered moving digits: f_G (the first two ResNet-18 stages)
# glances at 16x16 frames, where the 16-pixel digit is 4 pixels wide; π picks a 40x40 patch of
# the 64x64 frame; f_L (ResNet-18) reads it; f_C pools over the 4 frames. From scratch.
_base_ = [
    'mmaction::_base_/default_runtime.py',
    '_base_/schedules/sgd-cosine-12e.py',
    '_base_/datasets/cluttered-digits.py',
]
custom_imports = dict(
    imports=['projects.adafocus_v2', 'projects.adafocus_v2.datasets.embedded_cluttered_digits'],
    allow_failed_imports=False)

num_frames = 4
model = dict(
    type='AdaFocusV2',
    num_classes=10,
    num_frames=num_frames,
    patch_size=40,
    global_size=16,
    global_encoder=dict(type='ResNet', depth=18, pretrained=None, num_stages=2,
                        out_indices=(1,), strides=(1, 1), dilations=(1, 1)),
    global_channels=128,
    local_encoder=dict(type='ResNet', depth=18, pretrained=None),
    local_channels=512,
    policy=dict(type='PolicyNetwork', in_channels=128, spatial_size=4, num_frames=num_frames,
                hidden_dims=(256,), recurrent=True),
    classifier=dict(type='PoolingClassifier', in_channels=128 + 512, num_classes=10,
                    num_frames=num_frames, hidden_dim=512, dropout=0.2),
    aux_dropout=0.2,
    data_preprocessor=dict(type='ActionDataPreprocessor', mean=[128.0, 128.0, 128.0],
                           std=[64.0, 64.0, 64.0], format_shape='NCHW'))

max_epochs = 12
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, by_epoch=True)]
# The paper's per-part learning-rate multipliers (official code: scripts/train.sh,
# models/adafocus_v2.py, `AdaFocus.get_optim_policies`) on AdamW, which trains from scratch
# much faster on CPU than the paper's SGD schedule for ImageNet-initialised encoders.
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={
        'policy': dict(lr_mult=0.1),
        'global_encoder': dict(lr_mult=0.5),
        'classifier': dict(lr_mult=5.0)}),
    clip_grad=None)
train_dataloader = dict(batch_size=8)
default_hooks = dict(logger=dict(interval=25), checkpoint=dict(max_keep_ckpts=1))
