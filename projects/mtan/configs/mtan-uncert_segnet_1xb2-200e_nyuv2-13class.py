# MTAN with uncertainty weighting on NYUv2: Table 3 "MTAN Uncert.".
_base_ = ['./mtan_segnet_1xb2-200e_nyuv2-13class.py']
custom_hooks = [
    dict(type='LossWeightingHook',
         weighting=dict(type='UncertaintyWeighting',
                        loss_keys=['loss_seg', 'loss_depth', 'loss_normal']))
]
