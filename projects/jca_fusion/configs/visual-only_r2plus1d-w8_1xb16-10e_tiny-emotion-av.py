# Unimodal baseline: the visual encoder and the regressor alone.
_base_ = ['./jca_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py']
model = dict(audio_encoder=None, fusion=None)
_only_visual = dict(dataset=dict(dataset=dict(modalities=('visual', ))))
train_dataloader = _only_visual
val_dataloader = _only_visual
test_dataloader = _only_visual
