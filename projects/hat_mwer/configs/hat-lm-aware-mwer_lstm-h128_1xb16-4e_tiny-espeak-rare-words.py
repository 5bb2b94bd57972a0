# LM-aware MWER (arXiv 2204.07553, abstract): the N-best comes from fused beam search and the
# hypothesis scores include lambda * LM - beta * ILM (the decoding weights).
_base_ = ['hat-mwer_lstm-h128_1xb16-4e_tiny-espeak-rare-words.py']
custom_imports = dict(
    imports=['projects.hat_mwer', 'projects.hat_mwer.datasets.embedded_espeak_rare_words'],
    allow_failed_imports=False)
model = dict(mwer=dict(lm_aware=True, lm_weight=0.5, ilm_weight=0.2))
