# Paper-style schedule (UNCONFIRMED, see the README): Adam 1e-3, 50 epochs, cosine decay.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=0.0))
param_scheduler = dict(type='CosineAnnealingLR', T_max=50, by_epoch=True, begin=0, end=50)
train_cfg = dict(by_epoch=True, max_epochs=50, val_interval=5)
val_cfg = dict()
test_cfg = dict()
