# Rotating digits (projects/cmpl/datasets/embedded_rotating_digits.py): a digit circles at one
# of four angular velocities (the label); a frame-wise model is at chance. 32x32 frames, 16 per
# video. The training list is split per class into `percent` labeled and the rest unlabeled
# (written once beside the list). Each 16-frame window is decoded once: A reads all 16 frames,
# F every second one (8 frames, the same window). Weak: random resized crop; strong: weak +
# ClipRandAugment (same operations on every frame). No flip: it reverses the rotation.
dataset_type = 'VideoDataset'
data_root = 'data/rotating_digits'
embedded_data = dict(type='RotatingDigitsBuilder', root=data_root)
percent = 2
num_unlabeled = 2  # mu
primary_step = 2  # F reads every primary_step-th frame of A's window
window = dict(clip_len=16, frame_interval=1)
split_seed = 0

decode = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', num_clips=1, **window),
    dict(type='DecordDecode'),
]
weak = [
    dict(type='RandomResizedCrop', area_range=(0.64, 1.0), aspect_ratio_range=(0.8, 1.25)),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
]
strong = weak + [dict(type='ClipRandAugment', num_ops=2, magnitude=1.0, cutout=0.5)]
pack = [dict(type='FormatShape', input_format='NCTHW'), dict(type='PackActionInputs')]
to_primary = [dict(type='SubsampleFrames', step=primary_step)]
labeled_pipeline = decode + [dict(type='MultiView', views=dict(
    primary=to_primary + weak + pack, auxiliary=weak + pack))]
unlabeled_pipeline = decode + [dict(type='MultiView', views=dict(
    primary_weak=to_primary + weak + pack, primary_strong=to_primary + strong + pack,
    auxiliary_weak=weak + pack, auxiliary_strong=strong + pack))]
# F alone on labeled clips (primary-only config).
primary_train_pipeline = decode + to_primary + weak + pack
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=window['clip_len'] // primary_step,
         frame_interval=window['frame_interval'] * primary_step, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
] + pack
val_pipeline = test_pipeline

train_dataloader = dict(
    batch_size=4,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='SemiSupervisedSampler', shuffle=True),
    dataset=dict(
        type='EmbeddedDataset',
        builder=embedded_data,
        dataset=dict(
            type='SemiSupervisedDataset',
            dataset=dict(type=dataset_type, ann_file=f'{data_root}/train_list.txt',
                         data_prefix=dict(video=f'{data_root}/videos')),
            labeled_pipeline=labeled_pipeline,
            unlabeled_pipeline=unlabeled_pipeline,
            percent=percent,
            num_unlabeled=num_unlabeled,
            split_seed=split_seed,
            split_dir=f'{data_root}/splits',
            seed=0)))


def _loader(split):
    return dict(
        batch_size=16,
        num_workers=1,
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='EmbeddedDataset',
            builder=embedded_data,
            dataset=dict(type=dataset_type, ann_file=f'{data_root}/{split}_list.txt',
                         data_prefix=dict(video=f'{data_root}/videos'),
                         pipeline=test_pipeline, test_mode=True)))


val_dataloader = _loader('val')
test_dataloader = _loader('test')
del _loader

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
