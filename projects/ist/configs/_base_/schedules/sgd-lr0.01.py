# IST_Release: plain SGD, lr 0.01, no momentum or weight decay, constant learning rate.
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.01))
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
