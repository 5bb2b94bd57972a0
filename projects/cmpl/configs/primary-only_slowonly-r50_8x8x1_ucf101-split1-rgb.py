# The primary network F of the CMPL UCF-101 configs alone, as a plain mmaction2 Recognizer3D:
# `tools/test.py` runs it on the checkpoint that ExportPrimaryHook or tools/export_primary.py
# writes (10 clips x 3 crops on the test list of split 1).
_base_ = ['./primary-only_slowonly-r50_8x8x1_kinetics400-rgb.py']
custom_imports = dict(imports=['projects.cmpl'], allow_failed_imports=False)

model = dict(cls_head=dict(num_classes=101))
ucf101 = dict(ann_file='data/ucf101/ucf101_val_split_1_videos.txt',
              data_prefix=dict(video='data/ucf101/videos'))
val_dataloader = dict(dataset=ucf101)
test_dataloader = dict(dataset=ucf101)
