# PIFu-style baseline of the same size: pixel-aligned SDF + shaded colour from f, no
# illumination code, no shading network, no rendering losses.
_base_ = ['./phorhum_unet-w16_1xb4-10e_tiny-procedural-humans.py']
model = dict(shading=None, render=None)
