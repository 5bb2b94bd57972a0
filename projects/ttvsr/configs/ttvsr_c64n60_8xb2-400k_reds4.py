# TTVSR on REDS (BI x4), the official configs/TTVSR_reds4.py in mmagic 1.x terms:
# the paper-size model; 8 GPUs x 2 clips of 50 frames, Adam 2e-4 (SPyNet x 0.125, frozen for 5k
# iterations), cosine over 400k iterations; REDS4 tested on RGB, 100 frames at once.
_base_ = [
    'mmagic::_base_/default_runtime.py',
    '_base_/models/ttvsr_c64n60.py',
    '_base_/datasets/reds4.py',
    '_base_/schedules/adam_cosine-restart-400k.py',
]
custom_imports = dict(imports=['projects.ttvsr'], allow_failed_imports=False)

experiment_name = 'ttvsr_c64n60_8xb2-400k_reds4'
work_dir = f'./work_dirs/{experiment_name}'

default_hooks = dict(checkpoint=dict(interval=10_000, save_best='REDS4-BIx4-RGB/PSNR'))
