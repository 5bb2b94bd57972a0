# Gesture classifier: a ConvNet over the 8 frames of a sequence stacked as channels, wrapped
# by RobustModel (method `standard`; the method configs switch it). Inputs in [0, 1].
custom_imports = dict(imports=['projects.adv_robot'], allow_failed_imports=False)
model = dict(
    type='RobustModel',
    method='standard',
    task='classification',
    model=dict(
        type='ImageClassifier',
        backbone=dict(type='ConvNet', in_channels=8, channels=(32, 64, 64),
                      kernel_sizes=(3, 3, 3), strides=(2, 2, 1), pool_size=4,
                      fc_channels=(128, )),
        head=dict(type='LinearClsHead', num_classes=10, in_channels=128,
                  loss=dict(type='CrossEntropyLoss', loss_weight=1.0))),
    # Training attack (UNCONFIRMED in the paper, see the README): L∞ PGD, ε = 4/255,
    # 3 steps of 2.5 ε / 3, random start.
    attack=dict(type='PGD', eps=4 / 255, steps=3, norm='linf', random_start=True))
data_preprocessor = dict(num_classes=10, mean=[0.0] * 8, std=[255.0] * 8, to_rgb=False)
