# Standard MWER fine-tuning (no LM in the N-best or the scores); decoded with shallow fusion.
_base_ = ['hat-lm-aware-mwer_conformer-d256_8xb32-5e_librispeech-960h.py']
custom_imports = dict(imports=['projects.hat_mwer'], allow_failed_imports=False)
model = dict(mwer=dict(lm_aware=False))
