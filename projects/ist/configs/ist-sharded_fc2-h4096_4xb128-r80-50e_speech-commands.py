# IST, sharded parameter server, 2-layer speech model (IST_Release
# distributed_2layer_subnet_partitioned_ps_gloo.py: --repartition-iter 80, --epochs 50; that
# script multiplies the epochs by the number of workers, so set max_epochs to 50 x n to match).
_base_ = ['./ist-central_fc2-h4096_4xb128-r20-100e_speech-commands.py']
train_cfg = dict(max_epochs=50, local_iters=80, variant='sharded')
