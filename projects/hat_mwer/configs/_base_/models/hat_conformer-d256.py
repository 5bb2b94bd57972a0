# A Conformer HAT with characters as labels. Google's wordpiece vocabulary, cascaded encoder
# and model sizes are not given in what we could read of arXiv 2204.07553; this is a
# Conformer-M-like setting (Gulati et al. 2020, Table 1: 16 layers, width 256, 4 heads),
# a config value to change.
model = dict(
    type='HATASR',
    data_preprocessor=dict(type='LogMelPreprocessor', num_mels=80, stack=4),
    encoder=dict(type='ConformerEncoder', in_channels=320, out_channels=256, num_layers=16,
                 num_heads=4, kernel_size=31, dropout=0.1),
    prediction=dict(type='PredictionNetwork', embed_channels=256, hidden_channels=320),
    joint=dict(type='HATJoint', joint_channels=320),
    max_tokens=600,
    train_mode='nll',
    decode=dict(beam=8))
