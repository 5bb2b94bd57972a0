# mmagic's BasicVSR at the tiny TTVSR's size and budget: same channels, its two trunks together
# as deep as TTVSR's one shared trunk (2 + 2 blocks vs 4), same iterations, batch, learning rate,
# frozen-SPyNet phase and pre-trained SPyNet (spynet_1xb8-2k_tiny-embedded-vsr-flow.py, trained
# first). Both networks end in the same upsampler (its last stages at 64 channels).
_base_ = ['./ttvsr_c32n4_1xb4-600iter_tiny-embedded-vsr-bi.py']

model = dict(type='BasicVSR', generator=dict(_delete_=True, type='BasicVSRNet', mid_channels=32,
                                             num_blocks=2, spynet_pretrained=None))
