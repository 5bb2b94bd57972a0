# The paper's recipe on the embedded data: both encoders pre-trained on their unimodal task
# (the visual-only and audio-only configs, run first), then frozen; only the joint
# cross-attention and the regressors train. Point the two checkpoints at the unimodal runs'
# validation-selected files (README, "The fair test: frozen unimodal encoders").
_base_ = ['./jca_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py']
visual_checkpoint = 'work_dirs/jca_fusion/visual-only_r2plus1d-w8/best.pth'
audio_checkpoint = 'work_dirs/jca_fusion/audio-only_r18-w8/best.pth'
model = dict(
    visual_encoder=dict(frozen=True, init_cfg=dict(
        type='Pretrained', prefix='encoders.visual.', checkpoint=visual_checkpoint)),
    audio_encoder=dict(frozen=True, init_cfg=dict(
        type='Pretrained', prefix='encoders.audio.', checkpoint=audio_checkpoint)))
