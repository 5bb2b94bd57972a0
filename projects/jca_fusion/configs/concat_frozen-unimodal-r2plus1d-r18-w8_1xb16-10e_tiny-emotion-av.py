# Concatenation on the same frozen, unimodally pre-trained encoders as jca_frozen-unimodal-*.
_base_ = ['./jca_frozen-unimodal-r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py']
model = dict(fusion=dict(_delete_=True, type='ConcatFusion'))
