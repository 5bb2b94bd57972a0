# The dense CIFAR-style ResNet-20 used by the tiny configs (10 digit classes, 32x32 inputs).
custom_imports = dict(imports=['projects.sbf_pruner'], allow_failed_imports=False)
model = dict(
    type='ImageClassifier',
    backbone=dict(type='SlimResNet', arch='cifar20'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
