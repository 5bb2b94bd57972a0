# SbF-Pruner on the tiny ResNet-20: scores trained with the network from scratch, the global
# parameter budget hard-masks from epoch 8 on (of 15).
_base_ = [
    './_base_/models/sbf-pruner_cifar-resnet.py', './_base_/datasets/digit-images.py',
    './_base_/schedules/sgd-cosine-15e.py', 'mmpretrain::_base_/default_runtime.py'
]
custom_imports = dict(
    imports=['projects.sbf_pruner', 'projects.sbf_pruner.datasets.embedded_digit_images'],
    allow_failed_imports=False)
# 52 % of the parameters kept: what the former rule (0.75 of the scored filters' own weights)
# kept on average over the README's three seeds.
model = dict(model=dict(backbone=dict(arch='cifar20')), param_budget=0.52)
# The ANs learn with a tenth of the CNN's learning rate and without weight decay
# (UNCONFIRMED; see README, 'Differences from the paper'): at the full rate an AN's output
# bias, shared by all its filters, follows the regulariser faster than the task loss can rank
# the filters.
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'attention_networks': dict(lr_mult=0.1, decay_mult=0.0)}))
custom_hooks = [dict(type='SbFBudgetHook', begin_epoch=8)]
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=5, max_keep_ckpts=1))
randomness = dict(seed=0)
