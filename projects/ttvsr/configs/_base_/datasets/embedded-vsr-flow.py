# LR frame pairs with their true optical flow, known from the camera transforms
# (projects/ttvsr/datasets/flow_pairs.py): SPyNet pre-training in place of FlyingChairs/Sintel.
# Training pairs come from 1,000 short clips, each with its own random camera motion over the
# training photographs (up to 12 GT = 3 LR pixels per frame, zoom, turn), so that the motion
# cannot be told from the content: on the 32 long VSR training clips, whose motion is one smooth
# path per clip, SPyNet learnt which clip it saw instead of matching (held-out EPE worse than
# zero flow). Pairs of neighbouring frames in both directions (BasicVSR's forward and backward
# flows), plus 2- and 3-frame gaps; held-out pairs: the VSR test clips' neighbouring frames.
data_root = 'data/embedded_vsr'
embedded_data = dict(type='EmbeddedVSRBuilder', root=data_root)
flow_data_root = 'data/embedded_vsr_flow'
flow_data = dict(
    type='EmbeddedVSRBuilder',
    root=flow_data_root,
    clips=dict(train=1000),
    num_frames=dict(train=6),
    speed=(0.0, 12.0),
    zoom=(0.9, 1.1),
    max_rotation=3.0,
    degradations=('BI', ),
    write_gt=False)

test_pipeline = [
    dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
    dict(type='GenerateCameraFlow', scale=4),
    dict(type='PackFlowInputs')
]
# Flips, transposition and colour changes (flow moved with the pixels): without them SPyNet
# learns the dozen training photographs and does worse than "no motion" on unseen ones.
train_pipeline = test_pipeline[:2] + [dict(type='FlowAugment')] + test_pipeline[2:]

train_dataloader = dict(
    num_workers=0,
    batch_size=8,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='EmbeddedDataset',
        builder=flow_data,
        dataset=dict(
            type='FlowPairDataset',
            data_root=flow_data_root,
            ann_file='meta_info_train_GT.txt',
            lr_folder='BIx4',
            intervals=(1, -1, 2, -2, 3, -3),
            pipeline=train_pipeline)))
test_dataloader = dict(
    num_workers=0,
    batch_size=8,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='EmbeddedDataset',
        builder=embedded_data,
        dataset=dict(
            type='FlowPairDataset',
            data_root=data_root,
            ann_file='meta_info_test_GT.txt',
            lr_folder='BIx4',
            intervals=(1, -1),
            pipeline=test_pipeline,
            test_mode=True)))
val_dataloader = test_dataloader
test_evaluator = dict(type='Evaluator', metrics=[dict(type='FlowEPE')])
val_evaluator = test_evaluator
