# SbF-Pruner on CIFAR-10 ResNet-110 (paper: 54 % fewer parameters, +1.19 % accuracy).
_base_ = ['./sbf-pruner_resnet56_1xb128-200e_cifar10.py']
model = dict(model=dict(backbone=dict(arch='cifar110')), param_budget=0.46)
