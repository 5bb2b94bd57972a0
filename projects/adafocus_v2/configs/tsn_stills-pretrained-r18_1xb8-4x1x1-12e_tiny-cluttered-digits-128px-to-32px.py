# The fair test's full-frame baseline below AdaFocusV2's GFLOPs: the 128x128 videos downsized
# to 32x32 (the 16-pixel digit 4 pixels wide), otherwise as the 48x48 one.
_base_ = ['./tsn_stills-pretrained-r18_1xb8-4x1x1-12e_tiny-cluttered-digits-128px-to-48px.py']

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=4),
    dict(type='CoarseToFineOrder'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=4, test_mode=True),
    dict(type='CoarseToFineOrder'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(dataset=dict(pipeline=val_pipeline)))
test_dataloader = dict(dataset=dict(dataset=dict(pipeline=val_pipeline)))
