# 200 epochs (the paper's budget, from its comparison tables); one epoch is one pass over the
# unlabeled set (SemiSupervisedDataset's default; the paper's convention is not known). SGD,
# momentum 0.9, weight decay 1e-4, 10 warm-up epochs then cosine, gradient clipping at 40:
# the video FixMatch recipe of LTG (Xiong et al.'s successor code on mmaction2), not confirmed
# for CMPL; lr 0.1 for 16 labeled (+ 64 unlabeled) clips per step.
max_epochs = 200
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1,
                 val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4),
    clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=10,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 10, eta_min=0, by_epoch=True,
         begin=10, end=max_epochs, convert_to_iter_based=True),
]
auto_scale_lr = dict(enable=False, base_batch_size=16)
