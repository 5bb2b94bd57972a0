# One-task SegNet (the paper's "One Task" baseline) for seg on the toy scenes; the data
# still carries every ground truth, only seg is trained and evaluated.
_base_ = ['./split_segnet-w8_1xb8-25e_tiny-toy-scenes.py']
model = dict(tasks=('seg', ))
val_evaluator = dict(tasks=('seg', ))
test_evaluator = val_evaluator
