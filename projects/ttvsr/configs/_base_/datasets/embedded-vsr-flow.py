# LR frame pairs of the embedded VSR clips with their true optical flow, known from the camera
# transforms (projects/ttvsr/datasets/flow_pairs.py): SPyNet pre-training in place of
# FlyingChairs/Sintel. Pairs of neighbouring frames in both directions (BasicVSR's forward and
# backward flows), plus 2- and 3-frame gaps for larger motion; held-out pairs from the test clips.
data_root = 'data/embedded_vsr'
embedded_data = dict(type='EmbeddedVSRBuilder', root=data_root)

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
        builder=embedded_data,
        dataset=dict(
            type='FlowPairDataset',
            data_root=data_root,
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
