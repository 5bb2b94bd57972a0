# One-task SegNet (the paper's "One Task" baseline) for normal on the toy scenes; the data
# still carries every ground truth, only normal is trained and evaluated.
_base_ = ['./split_segnet-w8_1xb8-25e_tiny-toy-scenes.py']
model = dict(tasks=('normal', ))
val_evaluator = dict(tasks=('normal', ))
test_evaluator = val_evaluator
