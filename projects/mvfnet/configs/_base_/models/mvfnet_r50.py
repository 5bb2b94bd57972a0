# MVFNet-R50 (official code: configs/MVFNet/K400/mvf_kinetics400_2d_rgb_r50_dense.py): a TSN
# (Recognizer2D, average consensus) whose ResNet-50 has MVF modules (alpha = 1/8, views T+H+W)
# in every block of res4 and res5. `num_segments` must equal the frames per clip.
model = dict(
    type='Recognizer2D',
    backbone=dict(
        type='ResNetMVF',
        depth=50,
        pretrained='torchvision://resnet50',
        num_segments=8,
        mvf_freq=(0, 0, 1, 1),
        alpha=0.125,
        mode='THW',
        norm_eval=False),
    cls_head=dict(
        type='TSNHead',
        num_classes=400,
        in_channels=2048,
        spatial_type='avg',
        consensus=dict(type='AvgConsensus', dim=1),
        dropout_ratio=0.5,
        init_std=0.01,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCHW'),
    train_cfg=None,
    test_cfg=None)
