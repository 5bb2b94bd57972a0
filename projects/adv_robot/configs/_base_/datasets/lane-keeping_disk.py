# Lane-keeping demonstrations already on disk in the format of the embedded builder (mmengine
# JSON annotation files with a `gt_value` steering target per image), e.g. VISTA or real
# camera traces converted to it (projects/adv_robot/tools/data/README.md), read with
# mmpretrain's BaseDataset.
data_root = 'data/lane_keeping'
pipeline = [
    dict(type='LoadImageFromFile', color_type='grayscale'),
    dict(type='PackRegressionInputs'),
]
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    dataset=dict(type='BaseDataset', data_root=data_root, ann_file='meta/train.json',
                 data_prefix='', pipeline=pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=128,
    num_workers=4,
    dataset=dict(type='BaseDataset', data_root=data_root, ann_file='meta/val.json',
                 data_prefix='', pipeline=pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
val_evaluator = dict(type='RegressionMetric')
test_evaluator = val_evaluator
