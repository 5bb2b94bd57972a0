# Cluttered moving digits (projects/adafocus_v2/datasets/embedded_cluttered_digits.py): a
# 16-pixel digit moving among clutter in 64x64 frames; written on first use as mp4 videos +
# mmaction2 list files. Train, val and test use disjoint handwriting samples. 4 frames per
# video, reordered coarse-to-fine as in the official AdaFocusV2 code (main_v2.py, `input_order`).
dataset_type = 'VideoDataset'
data_root = 'data/cluttered_digits'
embedded_data = dict(type='ClutteredDigitsBuilder', root=data_root)
num_frames = 4

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=num_frames),
    dict(type='CoarseToFineOrder'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=num_frames,
         test_mode=True),
    dict(type='CoarseToFineOrder'),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='EmbeddedDataset',
        builder=embedded_data,
        dataset=dict(
            type=dataset_type,
            ann_file=f'{data_root}/train_list.txt',
            data_prefix=dict(video=f'{data_root}/videos'),
            pipeline=train_pipeline)))
val_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='EmbeddedDataset',
        builder=embedded_data,
        dataset=dict(
            type=dataset_type,
            ann_file=f'{data_root}/val_list.txt',
            data_prefix=dict(video=f'{data_root}/videos'),
            pipeline=val_pipeline,
            test_mode=True)))
test_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='EmbeddedDataset',
        builder=embedded_data,
        dataset=dict(
            type=dataset_type,
            ann_file=f'{data_root}/test_list.txt',
            data_prefix=dict(video=f'{data_root}/videos'),
            pipeline=test_pipeline,
            test_mode=True)))

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
