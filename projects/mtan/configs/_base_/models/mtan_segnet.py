# MTAN on SegNet (VGG-16 encoder-decoder) with the official sizes (lorenmt/mtan
# im2im_pred/model_segnet_mtan.py): 44.2 M parameters with three tasks, 1.77x one SegNet.
model = dict(
    type='MTAN',
    backbone=dict(type='SegNet', filters=(64, 128, 256, 512, 512), num_convs=(2, 2, 3, 3, 3)),
    attention=dict(type='MTANAttention'),
    tasks=('seg', 'depth', 'normal'),
    num_classes=13,
    data_preprocessor=dict(type='MultiTaskDataPreprocessor'))
