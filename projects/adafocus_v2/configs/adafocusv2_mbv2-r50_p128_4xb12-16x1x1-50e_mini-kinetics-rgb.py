# AdaFocusV2-MN2/RN on Mini-Kinetics, 128x128 patches: 75.4 top-1 at 27.0 GFLOPs per video in
# the paper. The official script uses lr 0.003 for a total batch of 48 (official
# code: scripts/train.sh, "minik mbv2 p128").
_base_ = [
    '_base_/models/adafocusv2_mbv2-r50.py',
    '_base_/datasets/mini-kinetics.py',
    '_base_/schedules/sgd-cosine-50e_activitynet.py',
    'mmaction::_base_/default_runtime.py',
]
custom_imports = dict(imports=['projects.adafocus_v2'], allow_failed_imports=False)
train_dataloader = dict(batch_size=12)
optim_wrapper = dict(optimizer=dict(lr=0.003))
auto_scale_lr = dict(base_batch_size=48)
