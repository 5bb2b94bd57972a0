# One-task SegNet for 13-class segmentation on NYUv2 (official model_segnet_single.py
# --task semantic): 24,981,069 parameters, the unit of the paper's #P column.
_base_ = ['./split_segnet_1xb2-200e_nyuv2-13class.py']
model = dict(tasks=('seg', ))
val_evaluator = dict(tasks=('seg', ))
test_evaluator = val_evaluator
