# The paper's networks (Fig. 3): F = 3D-ResNet-50 (mmaction2's SlowOnly R50: temporal kernels in
# res4 / res5), A = the same at 1/4 channel width (base_channels 16, "3D-ResNet50 x1/4"), both
# from random initialisation, each with its own dropout + FC head.
num_classes = 400


def _slowonly_r50(base_channels):
    return dict(
        type='Recognizer3D',
        backbone=dict(type='ResNet3dSlowOnly', depth=50, pretrained=None, lateral=False,
                      base_channels=base_channels, conv1_kernel=(1, 7, 7), conv1_stride_t=1,
                      pool1_stride_t=1, inflate=(0, 0, 1, 1), norm_eval=False,
                      norm_cfg=dict(type='SyncBN', requires_grad=True)),
        cls_head=dict(type='I3DHead', in_channels=base_channels * 32,
                      num_classes=num_classes, spatial_type='avg', dropout_ratio=0.5,
                      average_clips='prob'))


primary = _slowonly_r50(64)
auxiliary = _slowonly_r50(16)
del _slowonly_r50
model = dict(
    type='CMPLRecognizer',
    primary=primary,
    auxiliary=auxiliary,
    mode='cmpl',
    threshold=0.95,
    unsup_weight=1.0,
    data_preprocessor=dict(type='CMPLDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], format_shape='NCTHW'))
