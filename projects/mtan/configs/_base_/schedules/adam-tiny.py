# The official recipe shortened for the toy scenes: Adam, lr halved for the second half.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=2e-3))
param_scheduler = [dict(type='MultiStepLR', by_epoch=True, milestones=[17], gamma=0.5)]
train_cfg = dict(by_epoch=True, max_epochs=25, val_interval=25)
val_cfg = dict()
test_cfg = dict()
