# Digit order (projects/mvfnet/datasets/embedded_digit_order.py): one handwritten digit stops at
# three places; the label is the order of the visits (6 classes), so a frame-wise model is at
# chance. 32x32 frames, 12 per video; 4 frames sampled TSN-style (one per segment, random
# within it for training), no flip (it would swap left and right). Written on first use.
dataset_type = 'VideoDataset'
data_root = 'data/digit_order'
embedded_data = dict(type='DigitOrderBuilder', root=data_root)
num_frames = 4

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=num_frames),
    dict(type='DecordDecode'),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=num_frames,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline


def _loader(split, pipeline, shuffle):
    return dict(
        batch_size=16,
        num_workers=1,
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(
            type='EmbeddedDataset',
            builder=embedded_data,
            dataset=dict(
                type=dataset_type,
                ann_file=f'{data_root}/{split}_list.txt',
                data_prefix=dict(video=f'{data_root}/videos'),
                pipeline=pipeline,
                test_mode=not shuffle)))


train_dataloader = _loader('train', train_pipeline, True)
val_dataloader = _loader('val', val_pipeline, False)
test_dataloader = _loader('test', test_pipeline, False)
del _loader

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
