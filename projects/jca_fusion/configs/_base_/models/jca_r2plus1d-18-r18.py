# The fusion model of the paper on the T-BIOM backbones (official code: models/tsav.py, from
# Kuhnke et al.'s TSAV): torchvision's R(2+1)D-18 over 112x112 faces and a 1-channel ResNet-18
# over the 64-mel spectrogram, both 512-d and frozen; Linear 512 -> 128 projections; JCA with
# L = 8, k = 32; regressors 256 -> 128 -> 1 (dropout 0.6).
# Frozen backbones must start from Aff-Wild2-trained weights: convert the released TSAV
# checkpoint with projects/jca_fusion/tools/convert_official.py (README, 'Released weights') to
# the path below, or point both `init_cfg`s at your own unimodal checkpoints. tools/train.py
# refuses a frozen encoder that nothing initialises.
tsav_checkpoint = 'checkpoints/jca_fusion/tsav_sub4_544k_mmplug.pth'
model = dict(
    type='AVEmotionRegressor',
    data_preprocessor=dict(type='AVDataPreprocessor'),
    visual_encoder=dict(
        type='SegmentEncoder',
        out_channels=512,
        frozen=True,
        init_cfg=dict(type='Pretrained', checkpoint=tsav_checkpoint,
                      prefix='encoders.visual.'),
        backbone=dict(type='R2Plus1dTSAV', in_channels=3)),
    audio_encoder=dict(
        type='SegmentEncoder',
        out_channels=512,
        frozen=True,
        init_cfg=dict(type='Pretrained', checkpoint=tsav_checkpoint,
                      prefix='encoders.audio.'),
        backbone=dict(_scope_='mmpretrain', type='ResNet', depth=18, in_channels=1)),
    projection_channels=128,
    fusion=dict(type='JointCrossAttention', num_segments=8, hidden_channels=32),
    head=dict(type='VARegressionHead', hidden_channels=128, dropout=0.6))
