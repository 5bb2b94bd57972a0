# The paper-size TTVSR (official ttvsrnet.py and configs): 64 channels, a shared 60-block trunk, 5
# shallow blocks, 4x4 tokens, keyframes every 3rd frame, the released SPyNet (frozen for the first
# 5k iterations), Charbonnier loss on every frame. 6,773,615 parameters.
model = dict(
    type='TTVSR',
    generator=dict(
        type='TTVSRNet',
        mid_channels=64,
        num_blocks=60,
        num_extract_blocks=5,
        stride=4,
        frame_stride=3,
        spynet_pretrained='https://download.openmmlab.com/mmediting/restorers/basicvsr/'
        'spynet_20210409-c6c1bd09.pth'),
    pixel_loss=dict(type='CharbonnierLoss', loss_weight=1.0, reduction='mean'),
    train_cfg=dict(fix_iter=5000),
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))
