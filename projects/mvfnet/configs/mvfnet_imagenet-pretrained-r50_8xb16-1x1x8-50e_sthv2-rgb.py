# MVFNet-R50 on Something-Something V2, 8 uniformly sampled frames (TSN segments). The official
# code releases no Sth-Sth recipe; this is mmaction2's TSM-R50 Sth-Sth V2 recipe (data, 50
# epochs, SGD lr 0.02 for batch 128, warm-up, steps at 25 and 45, TSM's optimiser constructor)
# with MVFNet's backbone and TSN head swapped in (see the README's differences).
_base_ = ['mmaction::recognition/tsm/tsm_imagenet-pretrained-r50_8xb16-1x1x8-50e_sthv2-rgb.py']
custom_imports = dict(imports=['projects.mvfnet'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        _delete_=True,
        type='ResNetMVF',
        depth=50,
        pretrained='torchvision://resnet50',
        num_segments=8,
        mvf_freq=(0, 0, 1, 1),
        alpha=0.125,
        mode='THW',
        norm_eval=False),
    cls_head=dict(
        _delete_=True,
        type='TSNHead',
        num_classes=174,
        in_channels=2048,
        spatial_type='avg',
        consensus=dict(type='AvgConsensus', dim=1),
        dropout_ratio=0.5,
        init_std=0.001,
        average_clips='prob'))
