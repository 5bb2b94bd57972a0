# CIFAR-10 schedule (UNCONFIRMED for SbF-Pruner, see README, 'Choices for what the paper leaves
# open', row 6; the usual CIFAR ResNet recipe):
# SGD with momentum 0.9, lr 0.1 for batch 128, weight decay 5e-4, cosine over 200 epochs.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True),
    # The ANs: a tenth of the learning rate, no weight decay (see the tiny config).
    paramwise_cfg=dict(custom_keys={'attention_networks': dict(lr_mult=0.1, decay_mult=0.0)}))
param_scheduler = dict(type='CosineAnnealingLR', T_max=200, by_epoch=True, begin=0, end=200)
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
