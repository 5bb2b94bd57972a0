# The single-frame baseline at the tiny TTVSR's size and budget: TTVSRNet's shallow extractor,
# a trunk of the same 4 blocks and the same upsampler applied to each frame alone (no flow, no
# propagation, no SPyNet), trained by mmagic's BasicVSR editor exactly like the tiny TTVSR.
_base_ = ['./ttvsr_c32n4_1xb4-1800iter_tiny-embedded-vsr-bi.py']

model = dict(
    type='BasicVSR',
    generator=dict(_delete_=True, type='SingleFrameVSRNet', mid_channels=32, num_blocks=4,
                   num_extract_blocks=2))
