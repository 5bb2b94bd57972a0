# MTAN with uncertainty weighting (Kendall et al.) on the toy scenes.
_base_ = ['./mtan_segnet-w8_1xb8-25e_tiny-toy-scenes.py']
custom_hooks = [
    dict(type='LossWeightingHook',
         weighting=dict(type='UncertaintyWeighting',
                        loss_keys=['loss_seg', 'loss_depth', 'loss_normal']))
]
