# Not confirmed for the paper: Adam at 1e-4 with a step decay, as in PIFu-family training.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-4), clip_grad=dict(max_norm=10.0))
param_scheduler = [dict(type='MultiStepLR', by_epoch=True, milestones=[150], gamma=0.1)]
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=10)
val_cfg = dict()
test_cfg = dict()
