# Official schedule of the ActivityNet / FCVID / Mini-Kinetics scripts (official code:
# scripts/train.sh; lr multipliers in models/adafocus_v2.py, `AdaFocus.get_optim_policies`):
# SGD, momentum 0.9, weight decay 1e-4, lr 0.002 for a total batch of 32 (4 GPUs x 8), cosine
# per epoch, and per-part lr multipliers: π 0.1, f_G and its auxiliary head 0.5, f_C 5.0.
max_epochs = 50
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1,
                 val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.002, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={
        'policy': dict(lr_mult=0.1),
        'global_encoder': dict(lr_mult=0.5),
        'classifier': dict(lr_mult=5.0)}),
    clip_grad=None)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=0, by_epoch=True, begin=0,
         end=max_epochs)
]
auto_scale_lr = dict(enable=False, base_batch_size=32)
