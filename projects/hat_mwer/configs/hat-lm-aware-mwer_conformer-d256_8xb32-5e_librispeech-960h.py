# LM-aware MWER fine-tuning (arXiv 2204.07553, abstract) from the NLL model: N-best of 4 from
# fused beam search (KN 6-gram on the LibriSpeech LM text), scores with lambda*LM - beta*ILM,
# plus 0.01 x NLL (Prabhavalkar et al. 2018; alpha unconfirmed for the HAT paper).
# lambda, beta: icefall-like values for a character LM, unconfirmed; sweep them on dev-other.
_base_ = ['hat_conformer-d256_8xb32-100e_librispeech-960h.py']
custom_imports = dict(imports=['projects.hat_mwer'], allow_failed_imports=False)
load_from = 'work_dirs/hat_conformer-d256_8xb32-100e_librispeech-960h/epoch_100.pth'
model = dict(
    lm=dict(type='KNGramLM', corpus={{_base_.lm_text}}, order=6),
    train_mode='mwer',
    mwer=dict(beam=4, nll_weight=0.01, lm_aware=True, lm_weight=0.3, ilm_weight=0.1),
    decode=dict(beam=8, lm_weight=0.3, ilm_weight=0.1))
optim_wrapper = dict(optimizer=dict(lr=1e-5))
param_scheduler = []
train_cfg = dict(max_epochs=5, val_interval=1)
