# MVFNet-R50 16x4 fine-tuned on HMDB-51 (split 1) from its Kinetics-400 weights, with the
# UCF-101 recipe (the paper's HMDB-51 recipe and number are not confirmed here).
_base_ = ['./mvfnet_k400-pretrained-r50_8xb2-16x4x1-50e_ucf101-split1-rgb.py']
custom_imports = dict(imports=['projects.mvfnet'], allow_failed_imports=False)

model = dict(cls_head=dict(num_classes=51))
data_root = 'data/hmdb51/videos'
ann_file_train = 'data/hmdb51/hmdb51_train_split_1_videos.txt'
ann_file_val = 'data/hmdb51/hmdb51_val_split_1_videos.txt'
train_dataloader = dict(dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
val_dataloader = dict(dataset=dict(ann_file=ann_file_val, data_prefix=dict(video=data_root)))
test_dataloader = dict(dataset=dict(ann_file=ann_file_val, data_prefix=dict(video=data_root)))
