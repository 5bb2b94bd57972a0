# The unpruned baseline of the tiny benchmark: dense ResNet-20 on the embedded digit images.
_base_ = [
    './_base_/models/resnet20_digits.py', './_base_/datasets/digit-images.py',
    './_base_/schedules/sgd-cosine-15e.py', 'mmpretrain::_base_/default_runtime.py'
]
custom_imports = dict(
    imports=['projects.sbf_pruner', 'projects.sbf_pruner.datasets.embedded_digit_images'],
    allow_failed_imports=False)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=5, max_keep_ckpts=1))
randomness = dict(seed=0)
