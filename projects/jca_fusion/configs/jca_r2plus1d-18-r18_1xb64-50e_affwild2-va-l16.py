# The T-BIOM setting: 512-frame windows, L = 16 sub-sequences, batch 64, 50 epochs.
_base_ = ['./jca_r2plus1d-18-r18_1xb96-30e_affwild2-va.py']
model = dict(fusion=dict(num_segments=16))
_l16 = dict(batch_size=64, dataset=dict(num_segments=16))
train_dataloader = _l16
val_dataloader = _l16
test_dataloader = _l16
train_cfg = dict(max_epochs=50)
