# AdaFocusV2 at paper size, the Something-Something / Jester design (official code, Sth-Sth
# folder: main.py, `AdaFocus`; ops/models.py, `TSN`): f_G is
# TSM-MobileNetV2 on 8 whole 224x224 frames, f_L TSM-ResNet-50 on 12 independently sampled
# frames' P x P patches, π an MLP on all 8 frames' maps giving ONE patch location per video,
# and the prediction the sum of linear heads on the DETACHED features of both encoders, so the
# encoders and π learn only from the auxiliary heads (the official code's design).
# The paper initialises both from ImageNet: set `pretrained` when the weights can be downloaded.
num_frames = 8
num_focus_frames = 12
num_classes = 174
model = dict(
    type='AdaFocusV2',
    num_classes=num_classes,
    num_frames=num_frames,
    num_focus_frames=num_focus_frames,
    patch_size=128,
    global_size=None,
    global_encoder=dict(type='MobileNetV2TSM', num_segments=num_frames, shift_div=8,
                        pretrained=None, pretrained2d=False),
    global_channels=1280,
    local_encoder=dict(type='ResNetTSM', depth=50, num_segments=num_focus_frames, shift_div=8,
                       shift_place='blockres', pretrained=None, pretrained2d=False),
    local_channels=2048,
    policy=dict(type='PolicyNetwork', in_channels=1280, spatial_size=7, num_frames=num_frames,
                reduced_channels=64, hidden_dims=(1024, 512), recurrent=False, per_clip=True),
    classifier=dict(type='DetachedFusionHead', global_channels=1280, local_channels=2048,
                    num_classes=num_classes, dropout=0.5),
    aux_supervision=True,
    aux_per_frame=False,
    aux_dropout=0.5,
    diversity_augmentation=True,
    stop_gradient=True,
    data_preprocessor=dict(type='ActionDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], format_shape='NCHW'))
