# The primary network F of the CMPL Kinetics-400 configs alone, as a plain mmaction2
# Recognizer3D: `tools/test.py` runs it on the checkpoint that ExportPrimaryHook or
# tools/export_primary.py writes (10 clips x 3 crops).
_base_ = [
    'mmaction::_base_/default_runtime.py',
    '_base_/models/cmpl_slowonly-r50_aux-r50-quarter.py',
    '_base_/datasets/kinetics400-semi_32x2x1.py',
    '_base_/schedules/sgd-cosine-200e.py',
]
custom_imports = dict(imports=['projects.cmpl'], allow_failed_imports=False)

model = dict(
    _delete_=True,
    type='Recognizer3D',
    backbone={{_base_.primary.backbone}},
    cls_head={{_base_.primary.cls_head}},
    data_preprocessor=dict(type='ActionDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], format_shape='NCTHW'))
train_dataloader = None
train_cfg = None
optim_wrapper = None
param_scheduler = None
