# The paper's baseline: FixMatch with the same F, data, labels and budget as CMPL (F labels
# itself; no auxiliary network).
_base_ = ['./cmpl_r3d18-w16_aux-w4_1xb4-mu2-8x2x1-6e_tiny-rotating-digits-2pct.py']
custom_imports = dict(
    imports=['projects.cmpl', 'projects.cmpl.datasets.embedded_rotating_digits'],
    allow_failed_imports=False)

model = dict(mode='fixmatch', auxiliary=None)
