# MVFNet's C2D special case (alpha = 0: no channel is fused); the same network as the TSN
# config (tests/test_mvfnet check that the outputs are equal on the same weights).
_base_ = ['./mvfnet_r18_1xb16-1x1x4-10e_tiny-digit-order.py']
custom_imports = dict(
    imports=['projects.mvfnet', 'projects.mvfnet.datasets.embedded_digit_order'],
    allow_failed_imports=False)

model = dict(backbone=dict(alpha=0.0))
