# SbF-Pruner around mmpretrain's own ResNet-50 (its code untouched): every convolution of the
# backbone is scored; the residual stream of each stage (its projection shortcut and every
# block's last 1x1 convolution) is one group.
custom_imports = dict(imports=['projects.sbf_pruner'], allow_failed_imports=False)
model = dict(
    type='SbFPruner',
    model=dict(
        type='ImageClassifier',
        backbone=dict(type='ResNet', depth=50, num_stages=4, out_indices=(3, ), style='pytorch'),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=1000,
            in_channels=2048,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
            topk=(1, 5))),
    include=[r'backbone\..*conv\d', r'backbone\..*downsample\.0'],
    groups=[
        r'backbone\.layer1\.(0\.downsample\.0|\d+\.conv3)',
        r'backbone\.layer2\.(0\.downsample\.0|\d+\.conv3)',
        r'backbone\.layer3\.(0\.downsample\.0|\d+\.conv3)',
        r'backbone\.layer4\.(0\.downsample\.0|\d+\.conv3)',
    ],
    attention=dict(embed_dims=32, attention='additive', leak=0.01),
    detach_weights=True,
    reg_weight=0.05,
    reg_cost='params',
    # 48.9 % of the parameters kept: the paper's 51.1 % fewer (PAAM, ResNet-50).
    param_budget=0.489)
