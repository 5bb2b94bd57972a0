# A short Adam schedule for the embedded humans on CPU.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3), clip_grad=dict(max_norm=10.0))
param_scheduler = [dict(type='MultiStepLR', by_epoch=True, milestones=[8], gamma=0.3)]
train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=10)
val_cfg = dict()
test_cfg = dict()
