# SbF-Pruner around a CIFAR ResNet (SlimResNet cifar20/56/110): every convolution is scored;
# the three residual streams (stem + stage-1 blocks, then each later stage's projection + its
# blocks' second convolutions) are groups, since their channels are added together.
custom_imports = dict(imports=['projects.sbf_pruner'], allow_failed_imports=False)
model = dict(
    type='SbFPruner',
    model=dict(
        type='ImageClassifier',
        backbone=dict(type='SlimResNet', arch='cifar56'),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=10,
            in_channels=64,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0))),
    include=[r'backbone\..*conv.*', r'backbone\..*downsample\.0'],
    groups=[
        r'backbone\.(conv1|layer1\.\d+\.conv2)',
        r'backbone\.layer2\.(0\.downsample\.0|\d+\.conv2)',
        r'backbone\.layer3\.(0\.downsample\.0|\d+\.conv2)',
    ],
    attention=dict(embed_dims=32, attention='additive', leak=0.01),
    detach_weights=True,
    reg_weight=0.05,
    reg_cost='params',
    # The extracted network keeps 47.7 % of the parameters: the paper's 52.3 % fewer on
    # ResNet-56 (the budget counts the whole network, the input channels each pruned filter
    # takes out of the next layers included).
    param_budget=0.477)
