# IST, central parameter server, 3-layer speech model (IST_Release
# distributed_3layer_subnet_centralized_ps_gloo.py: --repartition-iter 20, --epochs 100).
_base_ = ['./ist-central_fc2-h4096_4xb128-r20-100e_speech-commands.py']
model = dict(hidden_channels=[4096, 4096])
