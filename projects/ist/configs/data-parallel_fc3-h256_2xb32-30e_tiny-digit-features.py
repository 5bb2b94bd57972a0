# Baseline: data-parallel SGD (DDP) on the embedded digit features; one process is plain SGD.
_base_ = ['./ist-central_fc3-h256_2xb32-r5-30e_tiny-digit-features.py']
train_cfg = dict(_delete_=True, type='DataParallelTrainLoop', max_epochs=30)
model_wrapper_cfg = None
