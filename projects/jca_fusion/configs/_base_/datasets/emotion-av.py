# The embedded emotional talking faces (projects/jca_fusion/datasets/embedded_emotion_av.py), in the
# Aff-Wild2 VA layout: 10 fps, 48x48 faces, 16 kHz speech. A clip is L = 8 sub-sequences of
# 8 frames (0.8 s); 4 faces per sub-sequence (every 2nd frame) and the log-mel of its audio
# (20 ms window, 10 ms hop, 64 mels: the official code's settings at 16 kHz).
data_root = 'data/emotion_av'
# 96 / 24 / 36 videos: with the builder's default 32 / 8 / 12, the fusion models overfit the
# training videos within 3-5 epochs and the 12 test videos left seed noise as large as the gaps.
builder = dict(type='EmotionAVBuilder', root=data_root,
               videos=dict(train=96, val=24, test=36))
dataset_cfg = dict(
    type='AffWild2VADataset',
    data_root=data_root,
    face_dir='cropped_aligned',
    audio_dir='audio',
    fps=10,
    num_segments=8,
    segment_length=8,
    frames_per_segment=4,
    audio=dict(n_fft=512, win_length=320, hop_length=160, n_mels=64),
    train_stride=4)

train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='EmbeddedDataset', builder=builder,
                 dataset=dict(dataset_cfg, ann_dir='annotations/Train_Set')))
val_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='EmbeddedDataset', builder=builder,
                 dataset=dict(dataset_cfg, ann_dir='annotations/Validation_Set',
                              test_mode=True)))
test_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='EmbeddedDataset', builder=builder,
                 dataset=dict(dataset_cfg, ann_dir='annotations/Test_Set', test_mode=True)))
val_evaluator = dict(type='CCCMetric')
test_evaluator = val_evaluator
