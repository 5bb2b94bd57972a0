# The paper's ablation: PHORHUM with 3D supervision only (no patch rendering losses).
_base_ = ['./phorhum_unet-w16_1xb4-10e_tiny-procedural-humans.py']
model = dict(render=None)
