# Rescoring with learned per-token fusion weights (arXiv 2204.07553, abstract): HAT and LM
# frozen, the FusionWeightModule trained with MWER on the no-LM N-best; decoding rescoring
# the N-best with the predicted weights.
_base_ = ['hat-sf_lstm-h128_1xb16-30e_tiny-espeak-rare-words.py']
custom_imports = dict(
    imports=['projects.hat_mwer', 'projects.hat_mwer.datasets.embedded_espeak_rare_words'],
    allow_failed_imports=False)
model = dict(train_mode='rescore', mwer=dict(beam=4),
             fusion=dict(type='FusionWeightModule', hidden_channels=32),
             decode=dict(beam=4, rescore='learned'))
optim_wrapper = dict(optimizer=dict(lr=3e-3))
train_cfg = dict(max_epochs=4, val_interval=4)
default_hooks = dict(checkpoint=dict(interval=4))
