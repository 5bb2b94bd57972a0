# The paper's baseline, FixMatch with the same F, data and budget (paper: 14.8 % top-1).
_base_ = ['./cmpl_slowonly-r50_aux-r50-quarter_8xb2-mu4-8x8x1-200e_ucf101-split1-1pct-rgb.py']
custom_imports = dict(imports=['projects.cmpl'], allow_failed_imports=False)

model = dict(mode='fixmatch', auxiliary=None)
