# One-task SegNet (the paper's "One Task" baseline) for depth on the toy scenes; the data
# still carries every ground truth, only depth is trained and evaluated.
_base_ = ['./split_segnet-w8_1xb8-25e_tiny-toy-scenes.py']
model = dict(tasks=('depth', ))
val_evaluator = dict(tasks=('depth', ))
test_evaluator = val_evaluator
