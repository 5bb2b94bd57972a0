# Joint cross-attention (the paper's model) on the embedded emotional talking faces.
_base_ = [
    './_base_/models/jca_r2plus1d-r18-w8.py', './_base_/datasets/emotion-av.py',
    './_base_/schedules/adam-10e.py', 'mmaction::_base_/default_runtime.py'
]
custom_imports = dict(
    imports=['projects.jca_fusion', 'projects.jca_fusion.datasets.embedded_emotion_av'],
    allow_failed_imports=False)
default_hooks = dict(logger=dict(interval=10),
                     checkpoint=dict(interval=1, max_keep_ckpts=1, save_best='ccc/mean',
                                     rule='greater'))
randomness = dict(seed=0)
