# Supervised only: F trained on the labeled clips alone, with the same iterations and labeled
# batches as CMPL (the unlabeled clips are not loaded).
_base_ = ['./cmpl_r3d18-w16_aux-w4_1xb4-mu2-8x2x1-6e_tiny-rotating-digits-2pct.py']
custom_imports = dict(
    imports=['projects.cmpl', 'projects.cmpl.datasets.embedded_rotating_digits'],
    allow_failed_imports=False)

model = dict(mode='supervised', auxiliary=None)
# ceil(588 unlabeled / mu 2): the items per epoch CMPL and FixMatch see.
train_dataloader = dict(dataset=dict(dataset=dict(num_unlabeled=0, num_items=294)))
