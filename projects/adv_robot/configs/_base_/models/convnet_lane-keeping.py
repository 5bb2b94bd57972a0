# Lane-keeping policy: a ConvNet regressing the steering command from the greyscale camera
# image, wrapped by RobustModel (method `standard`; the method configs switch it).
# Inputs are scaled to [0, 1] (mean 0, std 255), the unit of every ε.
custom_imports = dict(imports=['projects.adv_robot'], allow_failed_imports=False)
model = dict(
    type='RobustModel',
    method='standard',
    task='regression',
    regression_loss='mse',
    model=dict(
        type='ImageClassifier',
        backbone=dict(type='ConvNet', in_channels=1, channels=(16, 32, 32),
                      kernel_sizes=(5, 5, 3), strides=(2, 2, 2), pool_size=4,
                      fc_channels=(64, )),
        head=dict(type='RegressionHead', in_channels=64, out_channels=1, loss='mse')),
    # Training attack (UNCONFIRMED in the paper, see the README): L∞ PGD, ε = 2/255 of the
    # [0, 1] pixel range, 3 steps of 2.5 ε / 3, random start.
    attack=dict(type='PGD', eps=2 / 255, steps=3, norm='linf', random_start=True))
data_preprocessor = dict(mean=[0.0], std=[255.0], to_rgb=False)
