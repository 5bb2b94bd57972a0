# Official schedule of the Something-Something / Jester scripts (official code, Sth-Sth folder:
# README.md training command, main.py): SGD, momentum 0.9, weight decay 5e-4, lr 0.01 for a
# total batch of 32, gradient clipping at 20, cosine over 50 epochs, validation every epoch; lr
# multipliers π 0.01, f_G and both its heads 0.5.
max_epochs = 50
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1,
                 val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(custom_keys={
        'policy': dict(lr_mult=0.01),
        'global_encoder': dict(lr_mult=0.5),
        'classifier.global_fc': dict(lr_mult=0.5)}),
    clip_grad=dict(max_norm=20, norm_type=2))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=0, by_epoch=True, begin=0,
         end=max_epochs)
]
auto_scale_lr = dict(enable=False, base_batch_size=32)
