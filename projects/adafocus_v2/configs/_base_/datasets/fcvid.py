# FCVID (239 classes, multi-label, mAP), as in the official AdaFocusV2 code: the ActivityNet
# protocol (activitynet.py: 16 coarse-to-fine TSN segments, same crops) on FCVID's frames,
# extracted as in projects/adafocus_v2/tools/data/fcvid/README.md.
_base_ = ['./activitynet.py']

data_root = 'data/fcvid/rawframes'
train_dataloader = dict(dataset=dict(
    ann_file='data/fcvid/fcvid_train_list_rawframes.txt', data_prefix=dict(img=data_root),
    num_classes=239))
val_dataloader = dict(dataset=dict(
    ann_file='data/fcvid/fcvid_val_list_rawframes.txt', data_prefix=dict(img=data_root),
    num_classes=239))
test_dataloader = val_dataloader
