# The stills pre-training of the 128x128 fair test, at the patch scale: one whole 16-pixel
# digit in a 32x32 still (the view a 32x32 patch gives f_L), drawn from the handwriting pool
# of the 128x128 videos' training split (the same `videos` counts give the same pools).
# Its checkpoint initialises the `*_tiny-cluttered-digits-128px*` configs.
_base_ = ['./tsn_r18_1xb64-1x1x1-6e_tiny-cluttered-digit-stills.py']

data_root = 'data/cluttered_digit_stills_32px'
embedded_data = dict(type='ClutteredDigitStillsBuilder', root=data_root, image_size=32,
                     videos=dict(train=1000, val=200, test=1000))
train_dataloader = dict(dataset=dict(builder=embedded_data, dataset=dict(
    ann_file=f'{data_root}/train_list.txt', data_prefix=dict(img=f'{data_root}/rawframes'))))
val_dataloader = dict(dataset=dict(builder=embedded_data, dataset=dict(
    ann_file=f'{data_root}/val_list.txt', data_prefix=dict(img=f'{data_root}/rawframes'))))
test_dataloader = val_dataloader
