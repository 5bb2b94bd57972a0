# A mix of two projects: sbf_pruner's SbFPruner (mmpretrain) wraps the demo's mmaction2 TSN
# (ResNet-18) unchanged and learns which of its filters to keep while it trains on the
# embedded moving-digits videos. Every convolution of the backbone is scored; the channels
# that a residual connection adds are grouped (the stem with stage 1's blocks, then each later
# stage's projection shortcut with its blocks' second convolutions). The wrapped model is
# built in its own scope (`_scope_='mmaction'`). `projects/sbf_pruner/tools/extract.py` turns a
# trained checkpoint into a smaller mmaction2 TSN (a Recognizer2D on an mmpretrain.SlimResNet).
_base_ = ['../demo/tsn_r18_1xb16-1x1x3-15e_moving-digits.py']
custom_imports = dict(imports=['projects.common', 'projects.sbf_pruner'],
                      allow_failed_imports=False)

model = dict(
    _delete_=True,
    type='mmpretrain.SbFPruner',
    model=dict(
        type='Recognizer2D',
        _scope_='mmaction',
        backbone=dict(type='ResNet', depth=18, pretrained=None, norm_eval=False),
        cls_head=dict(type='TSNHead', num_classes=10, in_channels=512, dropout_ratio=0.2,
                      average_clips='prob'),
        data_preprocessor=dict(type='ActionDataPreprocessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], format_shape='NCHW')),
    include=[r'backbone\..*conv\d?\.conv', r'backbone\..*downsample\.conv'],
    groups=[
        r'backbone\.(conv1|layer1\.\d+\.conv2)\.conv',
        r'backbone\.layer2\.(0\.downsample|\d+\.conv2)\.conv',
        r'backbone\.layer3\.(0\.downsample|\d+\.conv2)\.conv',
        r'backbone\.layer4\.(0\.downsample|\d+\.conv2)\.conv',
    ],
    attention=dict(embed_dims=32, attention='additive', leak=0.01),
    detach_weights=True,
    reg_weight=0.05,
    reg_cost='params',
    param_budget=0.52)  # fraction of the network's parameters kept (sbf_pruner README)
# As in sbf_pruner's tiny configs: the attention networks at a tenth of the learning rate and
# without weight decay; the budget mask from half-way through training.
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'attention_networks': dict(lr_mult=0.1, decay_mult=0.0)}))
custom_hooks = [dict(type='mmpretrain.SbFBudgetHook', begin_epoch=8)]
