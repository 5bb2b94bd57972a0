# CVPR-W recipe (the official code's defaults; the paper's own values are unconfirmed, see
# README, 'Unconfirmed choices'): Adam lr 1e-3 on the fusion parameters, x0.8 every 2 epochs
# after epoch 5, 30 epochs (the official code trained with AMP: add --amp).
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [dict(type='StepLR', by_epoch=True, begin=5, step_size=2, gamma=0.8)]
train_cfg = dict(by_epoch=True, max_epochs=30, val_interval=1)
val_cfg = dict()
test_cfg = dict()
