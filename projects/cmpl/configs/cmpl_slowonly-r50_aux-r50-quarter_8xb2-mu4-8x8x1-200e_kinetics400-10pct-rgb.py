# CMPL, Kinetics-400 with 10 % labels (paper: 58.4 % top-1).
_base_ = ['./cmpl_slowonly-r50_aux-r50-quarter_8xb2-mu4-8x8x1-200e_kinetics400-1pct-rgb.py']
custom_imports = dict(imports=['projects.cmpl'], allow_failed_imports=False)

train_dataloader = dict(dataset=dict(percent=10))
