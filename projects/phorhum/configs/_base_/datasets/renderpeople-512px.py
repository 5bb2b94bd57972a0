# Renders of textured scans (RenderPeople-type; THuman2.0 is a public alternative) at 512x512,
# in the scan-render layout of projects/phorhum/datasets/scan_dataset.py (prepare with
# projects/phorhum/tools/data/). Render resolution and sample counts are not confirmed for the
# paper (see the README); 512 px and 5k+5k samples follow PIFu.
dataset_type = 'ScanRenderDataset'
data_root = 'data/renderpeople_phorhum'
train_pipeline = [dict(type='LoadScanRender', num_surface=5000, num_space=5000),
                  dict(type='PackPhorhumInputs')]
test_pipeline = [dict(type='LoadScanRender', num_surface=16, num_space=16),
                 dict(type='PackPhorhumInputs')]
train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, split='train',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, split='val', pipeline=test_pipeline,
                 test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(type='RenderMetric')
test_evaluator = val_evaluator
