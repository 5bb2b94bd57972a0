# CityScapes 7 classes and inverse depth at 128x256, the official pre-processed .npy release
# (projects/mtan/tools/data/README.md): the folder of the 7-class labels is a setting, since
# the release's folder names are not documented by the code.
dataset_type = 'MultiTaskNpyDataset'
data_root = 'data/cityscapes'
tasks = ('seg', 'depth')
folders = dict(seg='label_7')
pipeline = [dict(type='LoadMultiTaskNpy'), dict(type='PackMultiTaskInputs')]


def _loader(split, shuffle):
    return dict(
        batch_size=8,
        num_workers=2,
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(type=dataset_type, data_root=data_root, split=split, tasks=tasks,
                     folders=folders, pipeline=pipeline, test_mode=not shuffle))


train_dataloader = _loader('train', True)
val_dataloader = _loader('val', False)
test_dataloader = val_dataloader
del _loader

val_evaluator = dict(type='MultiTaskMetric', tasks=tasks, num_classes=7)
test_evaluator = val_evaluator
