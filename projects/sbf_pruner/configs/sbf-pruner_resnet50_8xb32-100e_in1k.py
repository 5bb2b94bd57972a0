# SbF-Pruner on ImageNet ResNet-50 (PAAM version: 51.1 % fewer parameters, +1.06 % top-1).
# Data: mmpretrain's ImageNet layout in data/imagenet
# (projects/sbf_pruner/tools/data/imagenet/README.md).
_base_ = [
    './_base_/models/sbf-pruner_resnet50.py', 'mmpretrain::_base_/datasets/imagenet_bs32.py',
    'mmpretrain::_base_/schedules/imagenet_bs256.py', 'mmpretrain::_base_/default_runtime.py'
]
# The ANs: a tenth of the learning rate, no weight decay (UNCONFIRMED; see README, 'Choices
# for what the paper leaves open', row 6).
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'attention_networks': dict(lr_mult=0.1, decay_mult=0.0)}))
custom_hooks = [dict(type='SbFBudgetHook', begin_epoch=50)]
