# TTVSR on Vimeo-90K (BD x4), the official configs/TTVSR_vimeo90k.py in mmagic 1.x terms:
# the REDS model and schedule on 7-frame septuplets mirrored twice; Vid4/UDM10/Vimeo-90K-T on Y,
# Vimeo-90K-T averaging the 4 centre-frame predictions of the twice-mirrored clip (official
# restorer: mmedit/models/restorers/ttvsr.py, TTVSR.forward_test).
_base_ = [
    'mmagic::_base_/default_runtime.py',
    '_base_/models/ttvsr_c64n60.py',
    '_base_/datasets/vimeo90k-bd.py',
    '_base_/schedules/adam_cosine-restart-400k.py',
]
custom_imports = dict(imports=['projects.ttvsr'], allow_failed_imports=False)

experiment_name = 'ttvsr_c64n60_8xb2-400k_vimeo90k-bd'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(vimeo_centre_average=True)

default_hooks = dict(checkpoint=dict(interval=10_000, save_best='VID4-BDx4-Y/PSNR'))
