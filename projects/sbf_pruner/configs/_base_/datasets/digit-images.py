# Embedded digit images (projects/sbf_pruner/datasets/embedded_digit_images.py): 32x32
# handwritten digits over texture photographs, written on first use in mmpretrain's
# CustomDataset layout.
# Held-out handwriting: train 1078, val 270, test 449 images.
dataset_type = 'CustomDataset'
data_root = 'data/digit_images'
builder = dict(type='DigitImagesBuilder', root=data_root)
data_preprocessor = dict(
    num_classes=10, mean=[63.0, 63.0, 63.0], std=[64.0, 64.0, 64.0], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', crop_size=32, padding=2),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]


train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    dataset=dict(
        type='EmbeddedDataset',
        builder=builder,
        dataset=dict(type=dataset_type, data_root=data_root, ann_file='meta/train.txt',
                     data_prefix='', with_label=True, pipeline=train_pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(
        type='EmbeddedDataset',
        builder=builder,
        dataset=dict(type=dataset_type, data_root=data_root, ann_file='meta/val.txt',
                     data_prefix='', with_label=True, pipeline=test_pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(
        type='EmbeddedDataset',
        builder=builder,
        dataset=dict(type=dataset_type, data_root=data_root, ann_file='meta/test.txt',
                     data_prefix='', with_label=True, pipeline=test_pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
