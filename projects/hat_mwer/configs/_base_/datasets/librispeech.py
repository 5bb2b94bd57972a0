# LibriSpeech as JSON-lines manifests (tools/data/librispeech_to_manifest.py; see
# tools/data/README.md): 960 h training, dev-other for sweeps, test-other for the tables; a
# rare-word list (words rare in the 960 h transcripts, e.g. from the LibriSpeech biasing
# lists of Le et al. 2021) and the LibriSpeech LM text corpus (librispeech-lm-norm.txt).
data_root = 'data/librispeech'


def _loader(manifest, shuffle, batch_size=32):
    return dict(
        batch_size=batch_size,
        num_workers=4,
        persistent_workers=True,
        drop_last=shuffle,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        collate_fn=dict(type='pseudo_collate'),
        dataset=dict(type='ASRManifestDataset', ann_file=manifest,
                     data_root=data_root, max_tokens=600, max_duration=20.0))


train_dataloader = _loader('train_960_manifest.json', True)
val_dataloader = _loader('dev_other_manifest.json', False)
test_dataloader = _loader('test_other_manifest.json', False)
del _loader

rare_words = f'{data_root}/rare_words.txt'
lm_text = f'{data_root}/librispeech-lm-norm.txt'
val_evaluator = dict(type='WERMetric', rare_words=rare_words)
test_evaluator = val_evaluator
