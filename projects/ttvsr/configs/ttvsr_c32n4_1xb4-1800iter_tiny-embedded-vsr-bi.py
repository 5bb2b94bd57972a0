# TTVSR at CPU size on the embedded VSR clips (BI x4; training on 8-frame clips cropped to LR
# 16x16, testing on whole 40-frame 32x32 clips): 32 channels, a shared trunk of 4 blocks, 2
# shallow blocks; the paper's schedule shape (Adam, SPyNet lr x 0.125, cosine decay,
# Charbonnier) shortened to 1,800 iterations (about 20 minutes on one CPU core; at 600 the
# recurrent models' lead over the single-frame baseline was within seed noise, see the README).
# Flow: DISFlow (OpenCV's Dense Inverse Search, no learned weights) in place of the pre-trained
# SPyNet, which cannot be downloaded, and which a CPU budget cannot train from scratch (see the
# README). Like the paper's SPyNet early in training it is frozen: fix_iter = all iterations.
_base_ = [
    '_base_/datasets/embedded-vsr-bi.py',
    '_base_/cpu_runtime.py',
]
custom_imports = dict(imports=['projects.ttvsr', 'projects.ttvsr.datasets.embedded_vsr'],
                      allow_failed_imports=False)

max_iters = 1800
model = dict(
    type='TTVSR',
    generator=dict(type='TTVSRNet', mid_channels=32, num_blocks=4, num_extract_blocks=2,
                   stride=4, frame_stride=3, spynet_pretrained=None,
                   flow_estimator=dict(type='DISFlow')),
    pixel_loss=dict(type='CharbonnierLoss', loss_weight=1.0, reduction='mean'),
    train_cfg=dict(fix_iter=max_iters),
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))

train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(
    constructor='DefaultOptimWrapperConstructor',
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.99)),
    paramwise_cfg=dict(custom_keys={'spynet': dict(lr_mult=0.125)}))
param_scheduler = dict(type='CosineRestartLR', by_epoch=False, periods=[max_iters],
                       restart_weights=[1], eta_min=1e-7)
