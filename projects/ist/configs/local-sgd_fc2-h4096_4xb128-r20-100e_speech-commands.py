# Baseline: local SGD (models averaged every 20 steps), 2-layer speech model.
_base_ = ['./ist-central_fc2-h4096_4xb128-r20-100e_speech-commands.py']
train_cfg = dict(_delete_=True, type='LocalSGDTrainLoop', max_epochs=100, local_iters=20)
