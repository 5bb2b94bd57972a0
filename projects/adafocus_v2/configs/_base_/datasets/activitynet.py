# ActivityNet v1.3 (200 classes, multi-label, mAP), as in the official AdaFocusV2 code.
# Frames extracted as in projects/adafocus_v2/tools/data/activitynet/README.md; mmaction2
# RawframeDataset list files ("frame_dir total_frames label [label ...]"). 16 TSN segments,
# one frame each, reordered coarse-to-fine (official code: main_v2.py, `input_order`);
# multi-scale crop + flip for training, resize 256 + centre crop 224 for testing (official
# code: models/adafocus_v2.py, `AdaFocus.get_augmentation`, and main_v2.py).
dataset_type = 'RawframeDataset'
data_root = 'data/activitynet/rawframes'
ann_file_train = 'data/activitynet/activitynet_train_list_rawframes.txt'
ann_file_val = 'data/activitynet/activitynet_val_list_rawframes.txt'
dataset_args = dict(filename_tmpl='image_{:05d}.jpg', start_index=1, multi_class=True,
                    num_classes=200)

train_pipeline = [
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=16),
    dict(type='CoarseToFineOrder'),
    dict(type='RawFrameDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='MultiScaleCrop', input_size=224, scales=(1, 0.875, 0.75, 0.66),
         random_crop=False, max_wh_scale_gap=1),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=16,
         test_mode=True),
    dict(type='CoarseToFineOrder'),
    dict(type='RawFrameDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file_train,
                 data_prefix=dict(img=data_root), pipeline=train_pipeline, **dataset_args))
val_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file_val, data_prefix=dict(img=data_root),
                 pipeline=val_pipeline, test_mode=True, **dataset_args))
test_dataloader = val_dataloader

val_evaluator = dict(type='AccMetric', metric_list=('mean_average_precision',))
test_evaluator = val_evaluator
