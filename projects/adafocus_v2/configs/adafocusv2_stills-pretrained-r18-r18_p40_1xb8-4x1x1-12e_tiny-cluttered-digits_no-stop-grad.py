# Ablation (paper §3.3): π's gradients also flow into f_G (no stop-gradient on π's input).
_base_ = ['adafocusv2_stills-pretrained-r18-r18_p40_1xb8-4x1x1-12e_tiny-cluttered-digits.py']
model = dict(stop_gradient=False)
