# Aff-Wild2, ABAW VA track (projects/jca_fusion/tools/data/affwild2/README.md): 30 fps,
# organiser-cropped 112x112 faces, 44.1 kHz mono audio aligned with frame 1. CVPR-W windowing
# (official code: datasets/dataset_new.py): 256-frame windows of L = 8 sub-sequences of 32
# frames, 8 faces per sub-sequence (dilation 4), the log-mel (n_fft 1024, 20 ms window, 10 ms
# hop, 64 mels) of each sub-sequence's audio.
data_root = 'data/affwild2'
ann_root = 'annotations/VA_Estimation_Challenge/'
dataset_cfg = dict(
    type='AffWild2VADataset',
    data_root=data_root,
    face_dir='cropped_aligned',
    audio_dir='audio',
    fps=30,
    num_segments=8,
    segment_length=32,
    frames_per_segment=8,
    face_size=112,
    audio=dict(n_fft=1024, win_length=882, hop_length=441, n_mels=64),
    # UNCONFIRMED (see README, 'Unconfirmed choices'): the official loader
    # (datasets/dataset_new.py) slides by 1 frame for 32 windows, then jumps
    # by window - 32 frames, i.e. 32 windows per 256 frames on average: a stride of 8.
    train_stride=8)

train_dataloader = dict(
    batch_size=96,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(dataset_cfg, ann_dir=ann_root + 'Train_Set'))
val_dataloader = dict(
    batch_size=96,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(dataset_cfg, ann_dir=ann_root + 'Validation_Set', test_mode=True))
# The ABAW test labels are not public: the paper's validation numbers are on Validation_Set.
test_dataloader = val_dataloader
# Reported without the moving-average post-process; the T-BIOM val.py one is
# `--cfg-options val_evaluator.smooth.valence=20 val_evaluator.smooth.arousal=50`.
val_evaluator = dict(type='CCCMetric', clip=True)
test_evaluator = val_evaluator
