# Unimodal baseline: the audio encoder and the regressor alone.
_base_ = ['./jca_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py']
model = dict(visual_encoder=None, fusion=None)
_only_audio = dict(dataset=dict(dataset=dict(modalities=('audio', ))))
train_dataloader = _only_audio
val_dataloader = _only_audio
test_dataloader = _only_audio
