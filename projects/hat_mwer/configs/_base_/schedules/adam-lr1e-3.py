optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3),
                     clip_grad=dict(max_norm=5.0))
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
