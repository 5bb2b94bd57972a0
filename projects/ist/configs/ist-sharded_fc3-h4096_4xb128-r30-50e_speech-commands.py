# IST, sharded parameter server, 3-layer speech model (IST_Release
# distributed_3layer_subnet_partitioned_ps_gloo.py: --repartition-iter 30, --epochs 50 x n).
_base_ = ['./ist-central_fc2-h4096_4xb128-r20-100e_speech-commands.py']
model = dict(hidden_channels=[4096, 4096])
train_cfg = dict(max_epochs=50, local_iters=30, variant='sharded')
