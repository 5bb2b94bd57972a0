# Semi-supervised video data in mmaction2's VideoDataset format ("path label" lists). Each
# training window is decoded once as 32 frames at interval 2 (A's rate); F keeps every 4th
# frame (8 frames at interval 8, the paper's 8-frame input) of the same window. Weak: random
# resized crop to 224 + flip; strong: weak + ClipRandAugment (RandAugment + Cutout, the same on
# every frame). Kinetics-400 (see tools/data/README.md): the training list is split into
# `percent` labeled and the rest unlabeled (written once to data_root/splits); evaluation on
# the val list.
dataset_type = 'VideoDataset'
data_root = 'data/kinetics400'
percent = 1
num_unlabeled = 4  # mu
primary_step = 4
window = dict(clip_len=32, frame_interval=2)
split_seed = 0
file_client_args = dict(io_backend='disk')

decode = [
    dict(type='DecordInit', **file_client_args),
    dict(type='SampleFrames', num_clips=1, **window),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
]
weak = [
    dict(type='RandomResizedCrop'),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
]
strong = weak + [dict(type='ClipRandAugment', num_ops=2, magnitude=1.0, cutout=0.5)]
pack = [dict(type='FormatShape', input_format='NCTHW'), dict(type='PackActionInputs')]
to_primary = [dict(type='SubsampleFrames', step=primary_step)]
labeled_pipeline = decode + [dict(type='MultiView', views=dict(
    primary=to_primary + weak + pack, auxiliary=weak + pack))]
unlabeled_pipeline = decode + [dict(type='MultiView', views=dict(
    primary_weak=to_primary + weak + pack, primary_strong=to_primary + strong + pack,
    auxiliary_weak=weak + pack, auxiliary_strong=strong + pack))]
primary_sampling = dict(clip_len=window['clip_len'] // primary_step,
                        frame_interval=window['frame_interval'] * primary_step)
val_pipeline = [
    dict(type='DecordInit', **file_client_args),
    dict(type='SampleFrames', num_clips=1, test_mode=True, **primary_sampling),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
] + pack
test_pipeline = [
    dict(type='DecordInit', **file_client_args),
    dict(type='SampleFrames', num_clips=10, test_mode=True, **primary_sampling),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='ThreeCrop', crop_size=256),
] + pack

train_dataloader = dict(
    batch_size=2,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='SemiSupervisedSampler', shuffle=True),
    dataset=dict(
        type='SemiSupervisedDataset',
        dataset=dict(type=dataset_type,
                     ann_file=f'{data_root}/kinetics400_train_list_videos.txt',
                     data_prefix=dict(video=f'{data_root}/videos_train')),
        labeled_pipeline=labeled_pipeline,
        unlabeled_pipeline=unlabeled_pipeline,
        percent=percent,
        num_unlabeled=num_unlabeled,
        split_seed=split_seed,
        split_dir=f'{data_root}/splits',
        seed=0))
val_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=f'{data_root}/kinetics400_val_list_videos.txt',
                 data_prefix=dict(video=f'{data_root}/videos_val'), pipeline=val_pipeline,
                 test_mode=True))
# 30-view test (10 clips x 3 crops), one video per batch.
test_dataloader = dict(val_dataloader, batch_size=1,
                       dataset=dict(val_dataloader['dataset'], pipeline=test_pipeline))
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
