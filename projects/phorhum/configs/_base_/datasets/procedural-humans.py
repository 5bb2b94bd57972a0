# Procedural clothed humans (projects/phorhum/datasets/embedded_humans.py): posed capsules and
# ellipsoids in a smooth union, photo-textured albedo, Lambertian + ambient shading under a
# random coloured light, 64x64 orthographic front and back renders, 2048 surface and space
# samples per subject; the val subjects use photographs no training subject uses. Written on
# first use in the scan-render layout and read by the real pipeline.
dataset_type = 'ScanRenderDataset'
data_root = 'data/procedural_humans'
embedded_data = dict(type='ProceduralHumansBuilder', root=data_root,
                     subjects=dict(train=64, val=16), image_size=64)
train_pipeline = [dict(type='LoadScanRender', num_surface=256, num_space=256),
                  dict(type='PackPhorhumInputs')]
test_pipeline = train_pipeline


def _loader(split, shuffle, pipeline):
    return dict(
        batch_size=4,
        num_workers=0,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(
            type='EmbeddedDataset',
            builder=embedded_data,
            dataset=dict(type=dataset_type, data_root=data_root, split=split,
                         pipeline=pipeline, test_mode=not shuffle)))


train_dataloader = _loader('train', True, train_pipeline)
val_dataloader = _loader('val', False, test_pipeline)
test_dataloader = val_dataloader
del _loader

val_evaluator = dict(type='RenderMetric')
test_evaluator = val_evaluator
