# The split baseline with Dynamic Weight Average (T = 2) on the toy scenes.
_base_ = ['./split_segnet-w8_1xb8-25e_tiny-toy-scenes.py']
custom_hooks = [
    dict(type='LossWeightingHook',
         weighting=dict(type='DynamicWeightAverage', temperature=2.0))
]
