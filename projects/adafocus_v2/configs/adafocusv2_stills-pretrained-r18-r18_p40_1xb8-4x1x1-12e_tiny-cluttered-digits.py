# The tiny AdaFocusV2 with f_G and f_L initialised as in the paper (ImageNet weights; official
# code: models/adafocus_v2.py, `AdaFocus`), from pre-trained
# weights: those of the stills pre-training (ImageNet's stand-in), which must be trained first,
# with tsn_r18_1xb64-1x1x1-6e_tiny-cluttered-digit-stills.py (see the README).
# f_G takes the first two stages of the same ResNet-18. Everything else as from scratch.
_base_ = ['./adafocusv2_r18-r18_p40_1xb8-4x1x1-12e_tiny-cluttered-digits.py']

stills_checkpoint = 'work_dirs/tsn_r18_1xb64-1x1x1-6e_tiny-cluttered-digit-stills/epoch_6.pth'
stills_init = dict(type='Pretrained', checkpoint=stills_checkpoint, prefix='backbone.')
model = dict(global_encoder=dict(init_cfg=stills_init), local_encoder=dict(init_cfg=stills_init))
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
