# The fusion model of the paper on the T-BIOM backbones (official code: models/tsav.py):
# R(2+1)D-18 over 112x112 faces and a 1-channel ResNet-18 over the 64-mel spectrogram, both
# 512-d and frozen; Linear 512 -> 128 projections; JCA with L = 8, k = 32; regressors
# 256 -> 128 -> 1 (dropout 0.6).
# The backbones must be initialised from Aff-Wild2-trained weights (`init_cfg` of each
# SegmentEncoder, e.g. dict(type='Pretrained', checkpoint=...)), which are not shipped.
model = dict(
    type='AVEmotionRegressor',
    data_preprocessor=dict(type='AVDataPreprocessor'),
    visual_encoder=dict(
        type='SegmentEncoder',
        out_channels=512,
        frozen=True,
        backbone=dict(
            _scope_='mmaction', type='ResNet2Plus1d', depth=18, pretrained=None,
            pretrained2d=False, conv_cfg=dict(type='Conv2plus1d'),
            norm_cfg=dict(type='BN3d', eps=1e-3), conv1_kernel=(3, 7, 7), conv1_stride_t=1,
            pool1_stride_t=1, inflate=(1, 1, 1, 1), spatial_strides=(1, 2, 2, 2),
            temporal_strides=(1, 2, 2, 2))),
    audio_encoder=dict(
        type='SegmentEncoder',
        out_channels=512,
        frozen=True,
        backbone=dict(_scope_='mmpretrain', type='ResNet', depth=18, in_channels=1)),
    projection_channels=128,
    fusion=dict(type='JointCrossAttention', num_segments=8, hidden_channels=32),
    head=dict(type='VARegressionHead', hidden_channels=128, dropout=0.6))
