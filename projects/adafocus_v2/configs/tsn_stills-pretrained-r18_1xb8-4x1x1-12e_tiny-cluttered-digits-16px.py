# The 16-px full-frame baseline with its backbone initialised from the stills pre-training, as
# AdaFocusV2's encoders are (train tsn_r18_1xb64-1x1x1-6e_tiny-cluttered-digit-stills.py first).
_base_ = ['./tsn_r18_1xb8-4x1x1-12e_tiny-cluttered-digits-16px.py']

stills_checkpoint = 'work_dirs/tsn_r18_1xb64-1x1x1-6e_tiny-cluttered-digit-stills/epoch_6.pth'
model = dict(backbone=dict(
    init_cfg=dict(type='Pretrained', checkpoint=stills_checkpoint, prefix='backbone.')))
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
