# Gesture sequences on disk in mmpretrain's CustomDataset layout, the frames of a sequence
# tiled left to right in one greyscale image (the embedded builder's format).
data_root = 'data/gestures'
pipeline = [
    dict(type='LoadImageFromFile', color_type='grayscale'),
    dict(type='FramesToChannels', num_frames=8),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    dataset=dict(type='CustomDataset', data_root=data_root, ann_file='meta/train.txt',
                 data_prefix='', with_label=True, pipeline=pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=256,
    num_workers=4,
    dataset=dict(type='CustomDataset', data_root=data_root, ann_file='meta/val.txt',
                 data_prefix='', with_label=True, pipeline=pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
