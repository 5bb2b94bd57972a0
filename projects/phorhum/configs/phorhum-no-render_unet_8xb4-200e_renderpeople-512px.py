# The paper's ablation at full size: 3D supervision only.
_base_ = ['./phorhum_unet_8xb4-200e_renderpeople-512px.py']
model = dict(render=None)
