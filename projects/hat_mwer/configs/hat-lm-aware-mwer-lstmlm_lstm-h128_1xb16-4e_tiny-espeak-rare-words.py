# LM-aware MWER with the small LSTM LM instead of the N-gram (trained on the LM text at build
# time when its checkpoint file is absent).
_base_ = ['hat-lm-aware-mwer_lstm-h128_1xb16-4e_tiny-espeak-rare-words.py']
custom_imports = dict(
    imports=['projects.hat_mwer', 'projects.hat_mwer.datasets.embedded_espeak_rare_words'],
    allow_failed_imports=False)
model = dict(lm=dict(_delete_=True, type='LSTMLM',
                     corpus=dict(type='RareWordCorpus', num_sentences=20000, seed=1),
                     hidden_channels=64, train_steps=150, batch_size=32))
