# PIFu-style baseline at full size: pixel-aligned SDF + shaded colour, no shading network.
_base_ = ['./phorhum_unet_8xb4-200e_renderpeople-512px.py']
model = dict(shading=None, render=None)
