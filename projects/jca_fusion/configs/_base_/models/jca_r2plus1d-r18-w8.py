# Joint cross-attention over small from-scratch backbones (no Aff-Wild2 weights exist here):
# an R(2+1)D-18 of width 8 over the face clips and a ResNet-18 of width 8 over the
# spectrograms, both trained; 64-d features, no projection.
model = dict(
    type='AVEmotionRegressor',
    data_preprocessor=dict(type='AVDataPreprocessor'),
    visual_encoder=dict(
        type='SegmentEncoder',
        out_channels=64,
        backbone=dict(
            _scope_='mmaction', type='ResNet2Plus1d', depth=18, base_channels=8, pretrained=None,
            pretrained2d=False, conv_cfg=dict(type='Conv2plus1d'), norm_cfg=dict(type='BN3d'),
            conv1_kernel=(3, 7, 7), conv1_stride_t=1, pool1_stride_t=1, inflate=(1, 1, 1, 1),
            spatial_strides=(1, 2, 2, 2), temporal_strides=(1, 2, 2, 2))),
    audio_encoder=dict(
        type='SegmentEncoder',
        out_channels=64,
        backbone=dict(_scope_='mmpretrain', type='ResNet', depth=18, in_channels=1, stem_channels=8,
                      base_channels=8)),
    projection_channels=None,
    fusion=dict(type='JointCrossAttention', num_segments=8, hidden_channels=32),
    head=dict(type='VARegressionHead', hidden_channels=128, dropout=0.6))
