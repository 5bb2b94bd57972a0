# SbF-Pruner on CIFAR-10 ResNet-56 (paper: 52.3 % fewer parameters, +1.02 % accuracy).
# Data: mmpretrain's CIFAR10 dataset in data/cifar10
# (projects/sbf_pruner/tools/data/cifar10/README.md).
_base_ = [
    './_base_/models/sbf-pruner_cifar-resnet.py', 'mmpretrain::_base_/datasets/cifar10_bs16.py',
    './_base_/schedules/cifar10_sgd-cosine-200e.py', 'mmpretrain::_base_/default_runtime.py'
]
train_dataloader = dict(batch_size=128)
val_dataloader = dict(batch_size=128)
test_dataloader = dict(batch_size=128)
# The hard budget mask starts half-way (UNCONFIRMED; see README, 'Choices for what the paper
# leaves open', row 4).
custom_hooks = [dict(type='SbFBudgetHook', begin_epoch=100)]
