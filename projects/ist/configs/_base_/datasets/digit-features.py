# Digit features (DigitFeaturesBuilder in projects/ist/datasets/embedded_digit_features.py):
# scikit-learn's handwritten digits as 64-d feature vectors, 10 classes, written on first use
# in the features-file format of the speech configs.
data_root = 'data/ist_digit_features'
embedded_data = dict(type='DigitFeaturesBuilder', root=data_root)


def _loader(split, shuffle, batch_size=32):
    return dict(
        batch_size=batch_size,
        num_workers=0,
        drop_last=shuffle,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(
            type='EmbeddedDataset',
            builder=embedded_data,
            dataset=dict(type='FeaturesDataset', ann_file=f'{data_root}/{split}.npz',
                         num_features=64)))


train_dataloader = _loader('train', True)
# Batch statistics normalise at evaluation too (track_running_stats=False): evaluate in large
# batches, and report that the eval batch size matters.
val_dataloader = _loader('val', False, batch_size=100)
test_dataloader = _loader('test', False, batch_size=100)
del _loader

val_evaluator = dict(type='Top1Accuracy')
test_evaluator = val_evaluator
