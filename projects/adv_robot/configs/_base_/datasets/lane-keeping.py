# Embedded lane-keeping demonstrations (projects/adv_robot/datasets/embedded_lane_keeping.py):
# 64x64 greyscale camera images of highway-env's lane-keeping-v0 with the Stanley expert's
# steering command, written on first use as an mmengine JSON annotation file read by
# mmpretrain's BaseDataset. 40 / 8 / 12 episodes of 60 steps (disjoint seeds).
data_root = 'data/lane_keeping'
builder = dict(type='LaneKeepingBuilder', root=data_root)
pipeline = [
    dict(type='LoadImageFromFile', color_type='grayscale'),
    dict(type='PackRegressionInputs'),
]


train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(
        type='EmbeddedDataset',
        builder=builder,
        dataset=dict(type='BaseDataset', data_root=data_root,
                     ann_file='meta/train.json', data_prefix='', pipeline=pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=128,
    num_workers=0,
    dataset=dict(
        type='EmbeddedDataset',
        builder=builder,
        dataset=dict(type='BaseDataset', data_root=data_root,
                     ann_file='meta/val.json', data_prefix='', pipeline=pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = dict(
    batch_size=128,
    num_workers=0,
    dataset=dict(
        type='EmbeddedDataset',
        builder=builder,
        dataset=dict(type='BaseDataset', data_root=data_root,
                     ann_file='meta/test.json', data_prefix='', pipeline=pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='RegressionMetric')
test_evaluator = val_evaluator
