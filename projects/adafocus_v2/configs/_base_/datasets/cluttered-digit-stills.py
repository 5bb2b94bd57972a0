# Object-centric stills of cluttered digits (ClutteredDigitStillsBuilder in
# projects/adafocus_v2/datasets/embedded_cluttered_digits.py): the stand-in for ImageNet
# pre-training. 40x40 images, each with one whole digit over texture and clutter, drawn from
# the handwriting of the videos' training split only; written on first use as one-frame clips
# in mmaction2's rawframe format.
dataset_type = 'RawframeDataset'
data_root = 'data/cluttered_digit_stills'
embedded_data = dict(type='ClutteredDigitStillsBuilder', root=data_root)

pipeline = [
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=1),
    dict(type='RawFrameDecode'),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=1, test_mode=True),
    dict(type='RawFrameDecode'),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]

train_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='EmbeddedDataset',
        builder=embedded_data,
        dataset=dict(
            type=dataset_type,
            ann_file=f'{data_root}/train_list.txt',
            data_prefix=dict(img=f'{data_root}/rawframes'),
            filename_tmpl='img_{:05}.png',
            pipeline=pipeline)))
val_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='EmbeddedDataset',
        builder=embedded_data,
        dataset=dict(
            type=dataset_type,
            ann_file=f'{data_root}/val_list.txt',
            data_prefix=dict(img=f'{data_root}/rawframes'),
            filename_tmpl='img_{:05}.png',
            pipeline=val_pipeline,
            test_mode=True)))
test_dataloader = val_dataloader

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
