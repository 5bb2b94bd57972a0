# The official schedule (lorenmt/mtan im2im_pred/model_segnet_mtan.py): Adam lr 1e-4, 200
# epochs, lr halved after epoch 100 (StepLR(step_size=100, gamma=0.5)); validation every epoch
# (the paper averages the last 10).
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-4))
param_scheduler = [dict(type='MultiStepLR', by_epoch=True, milestones=[100], gamma=0.5)]
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=1)
val_cfg = dict()
test_cfg = dict()
