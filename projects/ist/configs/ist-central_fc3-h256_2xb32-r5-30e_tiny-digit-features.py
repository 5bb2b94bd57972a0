# IST (central server) on the embedded digit features: the 3-layer model at width 256.
# Launch: tools/dist_train.sh THIS_CONFIG 2 (widths divide by 2, 4 and, sharded, 16).
_base_ = [
    '_base_/datasets/digit-features.py', '_base_/schedules/sgd-lr0.01.py',
    '_base_/default_runtime.py'
]
custom_imports = dict(
    imports=['projects.ist', 'projects.ist.datasets.embedded_digit_features'],
    allow_failed_imports=False)

model = dict(type='ISTFCNet', in_channels=64, hidden_channels=[256, 256], num_classes=10)
train_cfg = dict(type='IndependentSubnetTrainLoop', max_epochs=30, local_iters=5,
                 variant='central')
# The scope prefix: the runner looks the wrapper up in mmengine's root registry.
model_wrapper_cfg = dict(type='ist.NoSyncWrapper')
default_hooks = dict(checkpoint=dict(interval=30))
