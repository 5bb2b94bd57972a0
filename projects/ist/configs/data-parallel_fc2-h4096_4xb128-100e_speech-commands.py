# Baseline: data-parallel SGD (mmengine's DDP all-reduces every step), 2-layer speech model.
_base_ = [
    '_base_/models/fc-2layer_speech.py', '_base_/datasets/speech-commands-features.py',
    '_base_/schedules/sgd-lr0.01.py', '_base_/default_runtime.py'
]
custom_imports = dict(imports=['projects.ist'], allow_failed_imports=False)
train_cfg = dict(type='DataParallelTrainLoop', max_epochs=100)
