# Ablation: plain feature concatenation [X_a, X_v] before the regressor.
_base_ = ['./jca_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py']
model = dict(fusion=dict(_delete_=True, type='ConcatFusion'))
