# Ablation on Aff-Wild2: vanilla cross-attention instead of JCA.
_base_ = ['./jca_r2plus1d-18-r18_1xb96-30e_affwild2-va.py']
model = dict(fusion=dict(_delete_=True, type='CrossAttention', num_segments=8,
                         hidden_channels=32))
