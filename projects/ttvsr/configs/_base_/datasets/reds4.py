# REDS, BI x4 (official configs/TTVSR_reds4.py): train on REDS train + val merged (270 clips) less
# REDS4 (clips 000, 011, 015, 020), 50 consecutive frames per sample, GT crop 256 (LR 64), flips,
# transpose and temporal reverse; validate and test on REDS4, all 100 frames of a clip in one pass,
# PSNR/SSIM on RGB with no border crop. Layout and meta-info files:
# projects/ttvsr/tools/data/reds/README.md.
scale = 4
data_root = 'data/REDS'
train_pipeline = [
    dict(type='GenerateSegmentIndices', interval_list=[1]),
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='SetValues', dictionary=dict(scale=scale)),
    dict(type='PairedRandomCrop', gt_patch_size=256),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='vertical'),
    dict(type='RandomTransposeHW', keys=['img', 'gt'], transpose_ratio=0.5),
    dict(type='TemporalReverse', keys=['img', 'gt'], reverse_ratio=0.5),
    dict(type='PackInputs')
]
train_dataloader = dict(
    num_workers=6,
    batch_size=2,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='BasicFramesDataset',
        metainfo=dict(dataset_type='reds_reds4', task_name='vsr'),
        data_root=data_root,
        data_prefix=dict(img='train_sharp_bicubic/X4', gt='train_sharp'),
        ann_file='meta_info_reds4_train.txt',
        depth=1,
        num_input_frames=50,
        pipeline=train_pipeline))

test_pipeline = [
    dict(type='GenerateSegmentIndices', interval_list=[1]),
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='PackInputs')
]
val_dataloader = dict(
    num_workers=1,
    batch_size=1,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='BasicFramesDataset',
        metainfo=dict(dataset_type='reds_reds4', task_name='vsr'),
        data_root=data_root,
        data_prefix=dict(img='train_sharp_bicubic/X4', gt='train_sharp'),
        ann_file='meta_info_reds4_val.txt',
        depth=1,
        num_input_frames=100,
        fixed_seq_len=100,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
# RGB, no border crop (official TTVSR_reds4.py test_cfg), as mmagic's basicvsr_test_config.py
# does for REDS4.
val_evaluator = dict(type='Evaluator', metrics=[dict(type='PSNR', prefix='REDS4-BIx4-RGB'),
                                               dict(type='SSIM', prefix='REDS4-BIx4-RGB')])
test_evaluator = val_evaluator
test_cfg = dict(type='MultiTestLoop')
