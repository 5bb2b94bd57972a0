# A tiny HAT: 2-layer BiLSTM encoder over 3-stacked 40-d log-mels, 1-layer LSTM prediction
# network, joint of 128; characters as labels.
model = dict(
    type='HATASR',
    data_preprocessor=dict(type='LogMelPreprocessor', num_mels=40, stack=3),
    encoder=dict(type='LSTMEncoder', in_channels=120, hidden_channels=128, out_channels=128,
                 num_layers=2),
    prediction=dict(type='PredictionNetwork', embed_channels=64, hidden_channels=128),
    joint=dict(type='HATJoint', joint_channels=128),
    max_tokens=64,
    train_mode='nll',
    decode=dict(beam=4))
