# IST, central parameter server, 2-layer speech model (IST_Release
# distributed_2layer_subnet_centralized_ps_gloo.py: --repartition-iter 20, --epochs 100).
# Launch: tools/dist_train.sh THIS_CONFIG 4 (2, 4 or 8 processes in the paper).
_base_ = [
    '_base_/models/fc-2layer_speech.py', '_base_/datasets/speech-commands-features.py',
    '_base_/schedules/sgd-lr0.01.py', '_base_/default_runtime.py'
]
custom_imports = dict(imports=['projects.ist'], allow_failed_imports=False)

train_cfg = dict(type='IndependentSubnetTrainLoop', max_epochs=100, local_iters=20,
                 variant='central')
# The scope prefix: the runner looks the wrapper up in mmengine's root registry.
model_wrapper_cfg = dict(type='ist.NoSyncWrapper')
