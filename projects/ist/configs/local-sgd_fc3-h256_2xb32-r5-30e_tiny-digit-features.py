# Baseline: local SGD (average every 5 steps) on the embedded digit features.
_base_ = ['./ist-central_fc3-h256_2xb32-r5-30e_tiny-digit-features.py']
train_cfg = dict(_delete_=True, type='LocalSGDTrainLoop', max_epochs=30, local_iters=5)
