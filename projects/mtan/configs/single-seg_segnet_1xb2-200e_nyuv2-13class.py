# One-task SegNet for 13-class segmentation on NYUv2 (official model_segnet_single.py
# --task semantic): 24,981,069 parameters, the unit of the paper's #P column.
_base_ = ['./split_segnet_1xb2-200e_nyuv2-13class.py']
tasks = ('seg', )
model = dict(tasks=tasks)
train_dataloader = dict(dataset=dict(tasks=tasks))
val_dataloader = dict(dataset=dict(tasks=tasks))
test_dataloader = val_dataloader
val_evaluator = dict(tasks=tasks)
test_evaluator = val_evaluator
