# Vimeo-90K, BD x4 (official configs/TTVSR_vimeo90k.py): train on the septuplets of
# sep_trainlist.txt, 7 frames mirrored twice to 28 (MirrorSequence x2), GT crop 256 (LR 64), flips
# and transpose; validate on Vid4 BD; test on Vid4 BD, UDM10 BD and Vimeo-90K-T BD (centre frame
# im4), all on Y with no border crop. BD LR frames:
# projects/ttvsr/tools/data/vimeo90k/generate_bd.py; layouts in
# projects/ttvsr/tools/data/{vimeo90k,vid4,udm10}.
_base_ = ['mmagic::_base_/datasets/basicvsr_test_config.py']

scale = 4
vimeo_frames = ['im1.png', 'im2.png', 'im3.png', 'im4.png', 'im5.png', 'im6.png', 'im7.png']
train_pipeline = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='SetValues', dictionary=dict(scale=scale)),
    dict(type='PairedRandomCrop', gt_patch_size=256),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='vertical'),
    dict(type='RandomTransposeHW', keys=['img', 'gt'], transpose_ratio=0.5),
    dict(type='MirrorSequence', keys=['img', 'gt']),
    dict(type='MirrorSequence', keys=['img', 'gt']),
    dict(type='PackInputs')
]
train_dataloader = dict(
    num_workers=6,
    batch_size=2,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='BasicFramesDataset',
        metainfo=dict(dataset_type='vimeo90k_seq', task_name='vsr'),
        data_root='data/vimeo90k',
        data_prefix=dict(img='BDx4', gt='GT'),
        ann_file='meta_info_Vimeo90K_train_GT.txt',
        depth=2,
        num_input_frames=7,
        fixed_seq_len=7,
        load_frames_list=dict(img=vimeo_frames, gt=vimeo_frames),
        pipeline=train_pipeline))

# mmagic's test loaders and Y-channel evaluators (basicvsr_test_config.py). Its Vimeo-90K-T
# pipeline mirrors the 7 frames once; the TTVSR editor (vimeo_centre_average) mirrors twice.
val_dataloader = {{_base_.vid4_bd_dataloader}}
val_evaluator = dict(type='Evaluator', metrics={{_base_.vid4_bd_evaluator}})
test_dataloader = [
    {{_base_.vid4_bd_dataloader}},
    {{_base_.udm10_dataloader}},
    {{_base_.vimeo_90k_bd_dataloader}},
]
test_evaluator = [
    {{_base_.vid4_bd_evaluator}},
    {{_base_.udm10_evaluator}},
    {{_base_.vimeo_90k_bd_evaluator}},
]
