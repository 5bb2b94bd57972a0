# PHORHUM (paper Sec. 3): U-Net G with a bottleneck illumination code, IGR-style SDF + albedo
# MLP f, shading MLP s. Layer sizes, code size and loss weights are not in the readable sources
# (see the README, "Differences from the paper"): these are our defaults.
model = dict(
    type='PHORHUM',
    encoder=dict(type='FeatureUNet', channels=(64, 128, 256, 512), feat_channels=128,
                 light_dim=64),
    implicit=dict(type='ImplicitNetwork', hidden=(512, 512, 256, 256, 128)),
    shading=dict(type='ShadingNetwork', hidden=(256, 256)),
    render=dict(patch_size=32, views=('front', 'back'), steps=32, samples=64,
                mask_samples=32),
    perceptual=dict(type='PatchStructureLoss', scales=3),
    loss_weights=dict(surface=1.0, normal=0.1, eikonal=0.1, inside=0.5, albedo=1.0,
                      shaded=1.0, render_l1=1.0, render_perceptual=0.1, mask=0.1))
