# Standard MWER fine-tuning (Prabhavalkar et al. 2018): N-best (beam 4) without LM, scores
# log P_HAT only, plus 0.01 x NLL; from the NLL model (set load_from). Decoded with fusion.
_base_ = ['hat-sf_lstm-h128_1xb16-30e_tiny-espeak-rare-words.py']
custom_imports = dict(
    imports=['projects.hat_mwer', 'projects.hat_mwer.datasets.embedded_espeak_rare_words'],
    allow_failed_imports=False)
model = dict(train_mode='mwer',
             mwer=dict(beam=4, nll_weight=0.01, lm_aware=False))
optim_wrapper = dict(optimizer=dict(lr=1e-4))
train_cfg = dict(max_epochs=4, val_interval=4)
default_hooks = dict(checkpoint=dict(interval=4))
