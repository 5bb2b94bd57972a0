# One-task SegNet (the paper's "One Task" baseline) for seg on the toy scenes.
_base_ = ['./split_segnet-w8_1xb8-25e_tiny-toy-scenes.py']
tasks = ('seg', )
model = dict(tasks=tasks)
train_dataloader = dict(dataset=dict(dataset=dict(tasks=tasks)))
val_dataloader = dict(dataset=dict(dataset=dict(tasks=tasks)))
test_dataloader = val_dataloader
val_evaluator = dict(tasks=tasks)
test_evaluator = val_evaluator
