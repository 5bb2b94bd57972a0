# SPyNet pre-training on embedded clips with known camera motion: the stand-in for the
# FlyingChairs/Sintel-trained SPyNet (spynet_20210409-c6c1bd09.pth) that TTVSR and BasicVSR
# start from and that cannot be downloaded here. From scratch, EPE loss; the checkpoint
# (generator.spynet.*) initialises the tiny TTVSR and BasicVSR configs.
_base_ = [
    '_base_/datasets/embedded-vsr-flow.py',
    '_base_/cpu_runtime.py',
]
custom_imports = dict(imports=['projects.ttvsr', 'projects.ttvsr.datasets.embedded_vsr'],
                      allow_failed_imports=False)

model = dict(type='SPyNetPretraining')

max_iters = 2000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, T_max=max_iters, eta_min=1e-5)
