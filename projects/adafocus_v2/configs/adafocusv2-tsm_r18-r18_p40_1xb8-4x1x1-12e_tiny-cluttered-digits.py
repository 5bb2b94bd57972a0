# The TSM variant (official code, Sth-Sth folder: main.py, `AdaFocus`) at CPU size:
# TSM-ResNet-18 f_G on 4 glance frames at 16x16, one 40x40 patch location per video,
# TSM-ResNet-18 f_L on 6 separately sampled focus frames, the prediction from linear heads on
# the detached features.
_base_ = ['adafocusv2_r18-r18_p40_1xb8-4x1x1-12e_tiny-cluttered-digits.py']
model = dict(
    num_frames=4,
    num_focus_frames=6,
    aux_per_frame=False,
    global_encoder=dict(_delete_=True, type='ResNetTSM', depth=18, num_segments=4,
                        strides=(1, 1, 1, 1), pretrained=None, pretrained2d=False),
    global_channels=512,
    local_encoder=dict(_delete_=True, type='ResNetTSM', depth=18, num_segments=6,
                       pretrained=None, pretrained2d=False),
    policy=dict(in_channels=512, num_frames=4, hidden_dims=(256, 128), recurrent=False,
                per_clip=True),
    classifier=dict(_delete_=True, type='DetachedFusionHead', global_channels=512,
                    local_channels=512, num_classes=10, dropout=0.2))

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleGlanceFocusFrames', num_glance=4, num_focus=6),
    dict(type='DecordDecode'),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleGlanceFocusFrames', num_glance=4, num_focus=6, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(dataset=dict(pipeline=val_pipeline)))
test_dataloader = dict(dataset=dict(dataset=dict(pipeline=val_pipeline)))
