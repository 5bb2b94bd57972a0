# Embedded air-drawn digit gestures (projects/adv_robot/datasets/embedded_gestures.py):
# 8 frames of 32x32 of a hand tracing held-out handwritten digits, tiled into one PNG and
# stacked back into 8 channels; mmpretrain's CustomDataset layout. 1078 / 270 / 449 sequences.
data_root = 'data/gestures'
builder = dict(type='GestureBuilder', root=data_root)
pipeline = [
    dict(type='LoadImageFromFile', color_type='grayscale'),
    dict(type='FramesToChannels', num_frames=8),
    dict(type='PackInputs'),
]


train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(
        type='EmbeddedDataset',
        builder=builder,
        dataset=dict(type='CustomDataset', data_root=data_root,
                     ann_file='meta/train.txt', data_prefix='', with_label=True,
                     pipeline=pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=128,
    num_workers=0,
    dataset=dict(
        type='EmbeddedDataset',
        builder=builder,
        dataset=dict(type='CustomDataset', data_root=data_root,
                     ann_file='meta/val.txt', data_prefix='', with_label=True,
                     pipeline=pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = dict(
    batch_size=128,
    num_workers=0,
    dataset=dict(
        type='EmbeddedDataset',
        builder=builder,
        dataset=dict(type='CustomDataset', data_root=data_root,
                     ann_file='meta/test.txt', data_prefix='', with_label=True,
                     pipeline=pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
