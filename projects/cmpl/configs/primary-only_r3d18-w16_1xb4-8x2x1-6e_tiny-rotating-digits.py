# The primary network F alone, as a plain mmaction2 Recognizer3D: `tools/test.py` runs it on a
# checkpoint from ExportPrimaryHook / tools/export_primary.py. Trained by itself it reads the
# full labeled training list (every label: the fully supervised reference).
_base_ = [
    'mmaction::_base_/default_runtime.py',
    '_base_/models/cmpl_tiny-r3d18.py',
    '_base_/datasets/rotating-digits-semi.py',
    '_base_/schedules/adamw-cosine-tiny.py',
]
custom_imports = dict(
    imports=['projects.cmpl', 'projects.cmpl.datasets.embedded_rotating_digits'],
    allow_failed_imports=False)

model = dict(
    _delete_=True,
    type='Recognizer3D',
    backbone={{_base_.primary.backbone}},
    cls_head={{_base_.primary.cls_head}},
    data_preprocessor=dict(type='ActionDataPreprocessor', mean=[128.0, 128.0, 128.0],
                           std=[64.0, 64.0, 64.0], format_shape='NCTHW'))
train_dataloader = dict(
    _delete_=True,
    batch_size=4,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='EmbeddedDataset',
        builder={{_base_.embedded_data}},
        dataset=dict(type='VideoDataset', ann_file='data/rotating_digits/train_list.txt',
                     data_prefix=dict(video='data/rotating_digits/videos'),
                     pipeline={{_base_.primary_train_pipeline}})))
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(max_keep_ckpts=1))
randomness = dict(seed=0, diff_rank_seed=False, deterministic=False)
