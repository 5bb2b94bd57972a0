# NYUv2 13 classes, depth and normals at 288x384, the official pre-processed .npy files
# (projects/mtan/tools/data/README.md); no augmentation, as in the paper.
dataset_type = 'MultiTaskNpyDataset'
data_root = 'data/nyuv2'
tasks = ('seg', 'depth', 'normal')
pipeline = [dict(type='LoadMultiTaskNpy'), dict(type='PackMultiTaskInputs')]


def _loader(split, shuffle):
    return dict(
        batch_size=2,
        num_workers=2,
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(type=dataset_type, data_root=data_root, split=split, tasks=tasks,
                     pipeline=pipeline, test_mode=not shuffle))


train_dataloader = _loader('train', True)
# The official code evaluates on the val split (654 images) every epoch.
val_dataloader = _loader('val', False)
test_dataloader = val_dataloader
del _loader

val_evaluator = dict(type='MultiTaskMetric', tasks=tasks, num_classes=13)
test_evaluator = val_evaluator
