# HAT trained with the transducer NLL on LibriSpeech 960 h (the model MWER fine-tunes).
_base_ = [
    '_base_/datasets/librispeech.py', '_base_/models/hat_conformer-d256.py',
    '_base_/default_runtime.py'
]
custom_imports = dict(imports=['projects.hat_mwer'], allow_failed_imports=False)
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.98), weight_decay=1e-3),
                     clip_grad=dict(max_norm=5.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=10000),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=0, end=100, eta_min=1e-5)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=100, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
