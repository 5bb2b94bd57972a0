# Digit stills (DigitStillsBuilder in projects/mvfnet/datasets/embedded_digit_order.py): the
# stand-in for ImageNet pre-training. 32x32 images of one handwritten digit over a texture (10
# classes), from the handwriting of the digit-order videos' training split only; written on
# first use as one-frame clips in mmaction2's rawframe format.
dataset_type = 'RawframeDataset'
data_root = 'data/digit_stills'
embedded_data = dict(type='DigitStillsBuilder', root=data_root)

train_pipeline = [
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


def _loader(split, pipeline, shuffle):
    return dict(
        batch_size=64,
        num_workers=1,
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(
            type='EmbeddedDataset',
            builder=embedded_data,
            dataset=dict(
                type=dataset_type,
                ann_file=f'{data_root}/{split}_list.txt',
                data_prefix=dict(img=f'{data_root}/rawframes'),
                filename_tmpl='img_{:05}.png',
                pipeline=pipeline,
                test_mode=not shuffle)))


train_dataloader = _loader('train', train_pipeline, True)
val_dataloader = _loader('val', val_pipeline, False)
test_dataloader = val_dataloader
del _loader

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
