# HAT trained with the transducer NLL on the embedded eSpeak rare-word corpus (the model the
# MWER configs fine-tune). No LM in decoding; the fusion configs add one.
_base_ = [
    '_base_/datasets/espeak-rare-words.py', '_base_/models/hat_lstm-h128.py',
    '_base_/schedules/adam-lr1e-3.py', '_base_/default_runtime.py'
]
custom_imports = dict(
    imports=['projects.hat_mwer', 'projects.hat_mwer.datasets.embedded_espeak_rare_words'],
    allow_failed_imports=False)
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_interval=30)
default_hooks = dict(checkpoint=dict(interval=30), logger=dict(interval=50))
