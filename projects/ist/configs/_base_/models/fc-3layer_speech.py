# The 3-layer speech model of IST_Release (DNNGoogleSpeechBatchNorm3Layer): 4096 log-mel
# inputs -> 4096 -> 4096 hidden -> 35 commands.
model = dict(
    type='ISTFCNet', in_channels=4096, hidden_channels=[4096, 4096], num_classes=35)
