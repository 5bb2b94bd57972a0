# Jester (27 classes, top-1): the Sth-Sth V1 protocol (sthv1.py) on Jester's frames
# (projects/adafocus_v2/tools/data/jester/README.md, "%05d.jpg").
_base_ = ['./sthv1.py']

data_root = 'data/jester/rawframes'
train_dataloader = dict(dataset=dict(
    ann_file='data/jester/jester_train_list_rawframes.txt', data_prefix=dict(img=data_root)))
val_dataloader = dict(dataset=dict(
    ann_file='data/jester/jester_val_list_rawframes.txt', data_prefix=dict(img=data_root)))
test_dataloader = val_dataloader
