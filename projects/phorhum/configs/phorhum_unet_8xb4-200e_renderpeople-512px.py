# PHORHUM at the paper's setting as far as it is known (Sec. 3): 512x512 input, 3D + patch
# rendering losses (32x32 patches, front and back). Unconfirmed values: see the README.
_base_ = [
    './_base_/models/phorhum_unet.py', './_base_/datasets/renderpeople-512px.py',
    './_base_/schedules/adam-200e.py', './_base_/default_runtime.py'
]
custom_imports = dict(imports=['projects.phorhum'], allow_failed_imports=False)
