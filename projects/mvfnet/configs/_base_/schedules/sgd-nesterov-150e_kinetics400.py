# The official Kinetics-400 recipe (official code: configs/MVFNet/K400/*.py): SGD with Nesterov
# momentum 0.9, lr 0.015 for a batch of 96 (8 GPUs x 12), weight decay 1e-4, gradient clipping
# at 40; linear warm-up from 0.01x over 25,070 iterations, then steps (x0.1) at epochs 90 and
# 130, 150 epochs; validation every 10 epochs (the configs checkpoint every 10 too).
max_epochs = 150
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1,
                 val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.015, momentum=0.9, nesterov=True, weight_decay=1e-4),
    clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=25070),
    dict(type='MultiStepLR', milestones=[90, 130], gamma=0.1, by_epoch=True, begin=0,
         end=max_epochs)
]
auto_scale_lr = dict(enable=False, base_batch_size=96)
