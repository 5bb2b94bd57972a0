# JCA on Aff-Wild2 (ABAW3 VA track), the paper's setting: frozen backbones, fusion trained,
# model selection by the mean validation CCC.
_base_ = [
    './_base_/models/jca_r2plus1d-18-r18.py', './_base_/datasets/affwild2-va.py',
    './_base_/schedules/adam-30e_step.py', 'mmaction::_base_/default_runtime.py'
]
custom_imports = dict(imports=['projects.jca_fusion'], allow_failed_imports=False)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=2, save_best='ccc/mean',
                                     rule='greater'))
