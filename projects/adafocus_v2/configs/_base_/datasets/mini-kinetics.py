# Mini-Kinetics (the 200-class subset of Kinetics-400, single-label, top-1), as in the official
# code: the ActivityNet protocol (activitynet.py) on Mini-Kinetics frames, extracted as in
# projects/adafocus_v2/tools/data/mini_kinetics/README.md ("img_%05d.jpg").
_base_ = ['./activitynet.py']

data_root = 'data/mini_kinetics/rawframes'
dataset_args = dict(filename_tmpl='img_{:05d}.jpg', multi_class=False, num_classes=200,
                    data_prefix=dict(img=data_root))
train_dataloader = dict(dataset=dict(
    ann_file='data/mini_kinetics/mini_kinetics_train_list_rawframes.txt', **dataset_args))
val_dataloader = dict(dataset=dict(
    ann_file='data/mini_kinetics/mini_kinetics_val_list_rawframes.txt', **dataset_args))
test_dataloader = val_dataloader

val_evaluator = dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'))
test_evaluator = val_evaluator
