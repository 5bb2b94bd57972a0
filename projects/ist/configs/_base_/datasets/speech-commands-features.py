# Google Speech Commands v0.02 (35 words) as features files (FeaturesDataset; converter and
# format in projects/ist/tools/data/README.md): 128 mels x 32 frames = 4096 values per clip.
# Every rank draws its own batches; mmengine's DefaultSampler gives each rank a disjoint
# shard, so an epoch is len(train) / (batch x ranks) steps per rank, as IST_Release's
# len(loader) // world_size.
data_root = 'data/speech_commands_features'


def _loader(split, shuffle, batch_size=128):
    return dict(
        batch_size=batch_size,
        num_workers=2,
        persistent_workers=True,
        drop_last=shuffle,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(type='FeaturesDataset', ann_file=f'{data_root}/{split}.npz',
                     num_features=4096))


train_dataloader = _loader('train', True)
val_dataloader = _loader('test', False)
test_dataloader = val_dataloader
del _loader

val_evaluator = dict(type='Top1Accuracy')
test_evaluator = val_evaluator
