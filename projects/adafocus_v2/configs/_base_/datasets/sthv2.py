# Something-Something V2 (174 classes, top-1): the Sth-Sth V1 protocol (sthv1.py) on V2's
# frames, extracted as in the TSM repo (projects/adafocus_v2/tools/data/sthv2/README.md,
# "%06d.jpg").
_base_ = ['./sthv1.py']

data_root = 'data/sthv2/rawframes'
dataset_args = dict(filename_tmpl='{:06d}.jpg', data_prefix=dict(img=data_root))
train_dataloader = dict(dataset=dict(
    ann_file='data/sthv2/sthv2_train_list_rawframes.txt', **dataset_args))
val_dataloader = dict(dataset=dict(
    ann_file='data/sthv2/sthv2_val_list_rawframes.txt', **dataset_args))
test_dataloader = val_dataloader
