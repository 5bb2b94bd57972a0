# Equal-cost baseline: the stills-pretrained full-frame TSN (ResNet-18) on frames downsized to
# 48x48, about the GFLOPs per video of the tiny AdaFocusV2 (0.33 against 0.39).
_base_ = ['./tsn_stills-pretrained-r18_1xb8-4x1x1-12e_tiny-cluttered-digits-64px.py']

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=4),
    dict(type='CoarseToFineOrder'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(48, 48), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=4, test_mode=True),
    dict(type='CoarseToFineOrder'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(48, 48), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(dataset=dict(pipeline=val_pipeline)))
test_dataloader = dict(dataset=dict(dataset=dict(pipeline=val_pipeline)))
