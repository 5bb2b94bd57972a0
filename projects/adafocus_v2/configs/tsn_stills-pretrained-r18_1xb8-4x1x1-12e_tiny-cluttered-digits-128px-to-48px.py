# The fair test's full-frame baseline (README, "The fair test at 128x128"): the TSN (ResNet-18)
# pre-trained on the 32x32 stills, on the 128x128 videos downsized to 48x48 (above
# AdaFocusV2's GFLOPs; the 16-pixel digit 6 pixels wide).
_base_ = ['./tsn_stills-pretrained-r18_1xb8-4x1x1-12e_tiny-cluttered-digits-48px.py']

stills_checkpoint = ('work_dirs/tsn_r18_1xb64-1x1x1-6e_tiny-cluttered-digit-stills-32px/'
                     'epoch_6.pth')
model = dict(backbone=dict(init_cfg=dict(type='Pretrained', checkpoint=stills_checkpoint,
                                         prefix='backbone.')))
data_root = 'data/cluttered_digits_128px_central64'
embedded_data = dict(type='ClutteredDigitsBuilder', root=data_root, frame_size=128,
                     num_strokes=8, num_fragments=6, motion_region=64,
                     videos=dict(train=1000, val=200, test=1000))
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
train_dataloader = dict(dataset=dict(builder=embedded_data, dataset=dict(
    ann_file=f'{data_root}/train_list.txt', data_prefix=dict(video=f'{data_root}/videos'),
    pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(builder=embedded_data, dataset=dict(
    ann_file=f'{data_root}/val_list.txt', data_prefix=dict(video=f'{data_root}/videos'),
    pipeline=val_pipeline)))
test_dataloader = dict(dataset=dict(builder=embedded_data, dataset=dict(
    ann_file=f'{data_root}/test_list.txt', data_prefix=dict(video=f'{data_root}/videos'),
    pipeline=val_pipeline)))
