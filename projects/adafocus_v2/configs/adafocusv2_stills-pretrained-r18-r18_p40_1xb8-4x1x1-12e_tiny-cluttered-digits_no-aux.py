# Ablation (paper §3.3): without the auxiliary heads on f_G and f_L.
_base_ = ['adafocusv2_stills-pretrained-r18-r18_p40_1xb8-4x1x1-12e_tiny-cluttered-digits.py']
model = dict(aux_supervision=False)
