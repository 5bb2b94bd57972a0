# IST with the sharded parameter server on the embedded digit features.
_base_ = ['./ist-central_fc3-h256_2xb32-r5-30e_tiny-digit-features.py']
train_cfg = dict(variant='sharded')
