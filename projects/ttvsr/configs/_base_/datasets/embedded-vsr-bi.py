# Embedded VSR clips (projects/ttvsr/datasets/embedded_vsr.py): a virtual camera pans, zooms and
# turns across real skimage.data photographs; GT 128x128, BI x4 LR 32x32 (MATLAB bicubic), in
# REDS's frame-folder layout, written on first use. 32 training clips of 30 frames, sampled as
# 8-frame segments cropped to GT 64 (LR 16: the x4 upsampler dominates the CPU cost); 8 held-out
# clips of 40 frames from other photographs, tested whole (one pass per clip), PSNR/SSIM on Y.
data_root = 'data/embedded_vsr'
embedded_data = dict(type='EmbeddedVSRBuilder', root=data_root)
scale = 4

train_pipeline = [
    dict(type='GenerateSegmentIndices', interval_list=[1]),
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='SetValues', dictionary=dict(scale=scale)),
    dict(type='PairedRandomCrop', gt_patch_size=64),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='vertical'),
    dict(type='RandomTransposeHW', keys=['img', 'gt'], transpose_ratio=0.5),
    dict(type='TemporalReverse', keys=['img', 'gt'], reverse_ratio=0.5),
    dict(type='PackInputs')
]
test_pipeline = [
    dict(type='GenerateSegmentIndices', interval_list=[1]),
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='PackInputs')
]

train_dataloader = dict(
    num_workers=0,
    batch_size=4,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='EmbeddedDataset',
        builder=embedded_data,
        dataset=dict(
            type='BasicFramesDataset',
            metainfo=dict(dataset_type='embedded_vsr', task_name='vsr'),
            data_root=data_root,
            data_prefix=dict(img='BIx4', gt='GT'),
            ann_file='meta_info_train_GT.txt',
            depth=1,
            num_input_frames=8,
            pipeline=train_pipeline)))
test_dataloader = dict(
    num_workers=0,
    batch_size=1,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='EmbeddedDataset',
        builder=embedded_data,
        dataset=dict(
            type='BasicFramesDataset',
            metainfo=dict(dataset_type='embedded_vsr', task_name='vsr'),
            data_root=data_root,
            data_prefix=dict(img='BIx4', gt='GT'),
            ann_file='meta_info_test_GT.txt',
            depth=1,
            pipeline=test_pipeline,
            test_mode=True)))
val_dataloader = test_dataloader

test_evaluator = dict(
    type='Evaluator',
    metrics=[dict(type='PSNR', convert_to='Y'),
             dict(type='SSIM', convert_to='Y')])
val_evaluator = test_evaluator
