# AdaFocusV2 at paper size, the ActivityNet / FCVID / Mini-Kinetics design (official code:
# models/adafocus_v2.py, `AdaFocus`): f_G is
# MobileNetV2 on the full 224x224 frame (1280x7x7 maps), f_L ResNet-50 on the P x P patch, π a
# conv-MLP-GRU policy (hidden 2048), f_C the running-max classifier (MLP 4096, a head per step).
# The paper initialises both encoders from ImageNet: set `pretrained='mmcls://mobilenet_v2'`
# and `pretrained='torchvision://resnet50'` when the weights can be downloaded.
num_frames = 16
num_classes = 200
model = dict(
    type='AdaFocusV2',
    num_classes=num_classes,
    num_frames=num_frames,
    patch_size=128,
    global_size=None,
    global_encoder=dict(type='MobileNetV2', pretrained=None),
    global_channels=1280,
    local_encoder=dict(type='ResNet', depth=50, pretrained=None),
    local_channels=2048,
    policy=dict(type='PolicyNetwork', in_channels=1280, spatial_size=7, num_frames=num_frames,
                reduced_channels=64, hidden_dims=(2048,), recurrent=True),
    classifier=dict(type='PoolingClassifier', in_channels=1280 + 2048, num_classes=num_classes,
                    num_frames=num_frames, hidden_dim=4096, dropout=0.2),
    aux_supervision=True,
    aux_dropout=0.2,
    diversity_augmentation=True,
    stop_gradient=True,
    data_preprocessor=dict(type='ActionDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], format_shape='NCHW'))
