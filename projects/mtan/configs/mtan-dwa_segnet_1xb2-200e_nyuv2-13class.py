# MTAN with Dynamic Weight Average (T = 2) on NYUv2: Table 3 "MTAN DWA".
_base_ = ['./mtan_segnet_1xb2-200e_nyuv2-13class.py']
custom_hooks = [
    dict(type='LossWeightingHook',
         weighting=dict(type='DynamicWeightAverage', temperature=2.0))
]
