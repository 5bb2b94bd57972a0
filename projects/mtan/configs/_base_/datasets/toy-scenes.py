# Toy scenes (projects/mtan/datasets/embedded_scenes.py): ray-cast spheres, boxes and cylinders
# on a textured ground, 64x64, 4 classes (sky unlabelled), exact depth and normals; the val
# scenes use photographs no training scene uses. Written on first use in the official .npy
# format and read by the real pipeline.
dataset_type = 'MultiTaskNpyDataset'
data_root = 'data/toy_scenes'
embedded_data = dict(type='ToyScenesBuilder', root=data_root)
tasks = ('seg', 'depth', 'normal')
pipeline = [dict(type='LoadMultiTaskNpy'), dict(type='PackMultiTaskInputs')]


def _loader(split, shuffle):
    return dict(
        batch_size=8,
        num_workers=0,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(
            type='EmbeddedDataset',
            builder=embedded_data,
            dataset=dict(type=dataset_type, data_root=data_root, split=split, tasks=tasks,
                         pipeline=pipeline, test_mode=not shuffle)))


train_dataloader = _loader('train', True)
val_dataloader = _loader('val', False)
test_dataloader = val_dataloader
del _loader

val_evaluator = dict(type='MultiTaskMetric', tasks=tasks, num_classes=4)
test_evaluator = val_evaluator
