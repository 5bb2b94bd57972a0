# The NLL HAT with a small Conformer encoder instead of the BiLSTM.
_base_ = ['hat_lstm-h128_1xb16-30e_tiny-espeak-rare-words.py']
custom_imports = dict(
    imports=['projects.hat_mwer', 'projects.hat_mwer.datasets.embedded_espeak_rare_words'],
    allow_failed_imports=False)
model = dict(encoder=dict(_delete_=True, type='ConformerEncoder', in_channels=120,
                          out_channels=96, num_layers=2, num_heads=4, kernel_size=15))
