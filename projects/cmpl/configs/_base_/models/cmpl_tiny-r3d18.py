# CMPL at CPU size: F is a 3D ResNet-18 of 16 base channels reading 8 frames, A the same
# network at 1/4 width (4 base channels) reading 16 frames: the paper's F / A = R50 / R50 x1/4
# shrunk to what trains in minutes. No temporal down-sampling (the clips are short), stem
# without stride on 32x32 frames.
num_classes = 4


def _r3d18(base_channels):
    return dict(
        type='Recognizer3D',
        backbone=dict(type='ResNet3d', depth=18, pretrained=None, pretrained2d=False,
                      base_channels=base_channels, conv1_kernel=(3, 7, 7), conv1_stride_s=2,
                      pool1_stride_s=2, with_pool2=False, inflate=(1, 1, 1, 1),
                      norm_eval=False, zero_init_residual=False),
        cls_head=dict(type='I3DHead', in_channels=base_channels * 8,
                      num_classes=num_classes, spatial_type='avg', dropout_ratio=0.2,
                      init_std=0.01, average_clips='prob', topk=(1, )))


primary = _r3d18(16)
auxiliary = _r3d18(4)
del _r3d18
model = dict(
    type='CMPLRecognizer',
    primary=primary,
    auxiliary=auxiliary,
    mode='cmpl',
    threshold=0.8,
    unsup_weight=1.0,
    data_preprocessor=dict(type='CMPLDataPreprocessor', mean=[128.0, 128.0, 128.0],
                           std=[64.0, 64.0, 64.0], format_shape='NCTHW'))
