# The TTVSR training schedule (official configs/TTVSR_reds4.py, TTVSR_vimeo90k.py): Adam 2e-4, betas
# (0.9, 0.99), SPyNet at lr x 0.125, one cosine period of 400k iterations down to 1e-7
# (CosineRestartLR, from mmengine), validation every 10k iterations. SPyNet stays frozen for the
# first 5k iterations (editor's fix_iter).
train_cfg = dict(type='IterBasedTrainLoop', max_iters=400_000, val_interval=10_000)
val_cfg = dict(type='MultiValLoop')
optim_wrapper = dict(
    constructor='DefaultOptimWrapperConstructor',
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=2e-4, betas=(0.9, 0.99)),
    paramwise_cfg=dict(custom_keys={'spynet': dict(lr_mult=0.125)}))
param_scheduler = dict(
    type='CosineRestartLR', by_epoch=False, periods=[400_000], restart_weights=[1],
    eta_min=1e-7)
# The shared trunk sees each frame twice; a step may leave parts unused (official configs).
find_unused_parameters = True
