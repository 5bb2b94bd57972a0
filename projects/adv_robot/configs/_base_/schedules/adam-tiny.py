# CPU-size schedule of the tiny configs: Adam 3e-3, 10 epochs, cosine decay.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=3e-3, weight_decay=0.0))
param_scheduler = dict(type='CosineAnnealingLR', T_max=10, by_epoch=True, begin=0, end=10)
train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=5)
val_cfg = dict()
test_cfg = dict()
