# MVFNet-R50 on Something-Something V1 (frames as released, {:05}.jpg), 8 frames; the recipe of
# the Sth-Sth V2 config (mmaction2's TSM recipe; the official code releases none). V1 has no
# left/right label pairs to swap, so flipping is off.
_base_ = ['./mvfnet_imagenet-pretrained-r50_8xb16-1x1x8-50e_sthv2-rgb.py']
custom_imports = dict(imports=['projects.mvfnet'], allow_failed_imports=False)

dataset_type = 'RawframeDataset'
data_root = 'data/sthv1/rawframes'
ann_file_train = 'data/sthv1/sthv1_train_list_rawframes.txt'
ann_file_val = 'data/sthv1/sthv1_val_list_rawframes.txt'

train_pipeline = [
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
    dict(type='RawFrameDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='MultiScaleCrop', input_size=224, scales=(1, 0.875, 0.75, 0.66),
         random_crop=False, max_wh_scale_gap=1, num_fixed_crops=13),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8, test_mode=True),
    dict(type='RawFrameDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8, test_mode=True,
         twice_sample=True),
    dict(type='RawFrameDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='ThreeCrop', crop_size=256),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
dataset = dict(_delete_=True, type=dataset_type, filename_tmpl='{:05}.jpg',
               data_prefix=dict(img=data_root))
train_dataloader = dict(
    dataset=dict(dataset, ann_file=ann_file_train, pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(dataset, ann_file=ann_file_val, pipeline=val_pipeline, test_mode=True))
test_dataloader = dict(
    dataset=dict(dataset, ann_file=ann_file_val, pipeline=test_pipeline, test_mode=True))
