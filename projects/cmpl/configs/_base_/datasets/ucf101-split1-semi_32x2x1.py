# UCF-101 split 1 (see tools/data/README.md) with the Kinetics-400 recipe's pipelines: the
# training list of split 1 is split into `percent` labeled and the rest unlabeled; evaluation on
# the split's test list.
_base_ = ['./kinetics400-semi_32x2x1.py']
data_root = 'data/ucf101'
videos = f'{data_root}/videos'
test_list = f'{data_root}/ucf101_val_split_1_videos.txt'
train_dataloader = dict(dataset=dict(
    dataset=dict(ann_file=f'{data_root}/ucf101_train_split_1_videos.txt',
                 data_prefix=dict(video=videos)),
    split_dir=f'{data_root}/splits'))
val_dataloader = dict(dataset=dict(ann_file=test_list, data_prefix=dict(video=videos)))
test_dataloader = val_dataloader
