# mmagic's BasicVSR at the tiny TTVSR's size and budget: same channels, its two trunks together
# as deep as TTVSR's one shared trunk (2 + 2 blocks vs 4), same iterations, batch, learning rate,
# frozen flow (the same DISFlow stand-in for the pre-trained SPyNet; BasicVSRNetWithFlow is
# mmagic's BasicVSRNet with that one change). Both end in the same upsampler (64 channels last).
_base_ = ['./ttvsr_c32n4_1xb4-1800iter_tiny-embedded-vsr-bi.py']

model = dict(type='BasicVSR', generator=dict(
    _delete_=True, type='BasicVSRNetWithFlow', mid_channels=32, num_blocks=2,
    flow_estimator=dict(type='DISFlow')))
