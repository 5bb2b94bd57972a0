# Ablation: vanilla cross-attention (each modality correlated with the other, no J).
_base_ = ['./jca_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py']
model = dict(fusion=dict(_delete_=True, type='CrossAttention', num_segments=8,
                         hidden_channels=32))
