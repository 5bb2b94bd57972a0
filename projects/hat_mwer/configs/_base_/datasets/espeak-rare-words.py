# Embedded rare-word speech (ESpeakRareWordsBuilder in
# projects/hat_mwer/datasets/embedded_espeak_rare_words.py): eSpeak NG homophone sentences,
# written on first use as JSON-lines manifests + 16 kHz wavs; val is the dev split for sweeps.
data_root = 'data/hat_mwer_espeak_rare_words'
embedded_data = dict(type='ESpeakRareWordsBuilder', root=data_root)


def _loader(split, shuffle, batch_size=16):
    return dict(
        batch_size=batch_size,
        num_workers=0,
        drop_last=shuffle,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        collate_fn=dict(type='pseudo_collate'),
        dataset=dict(
            type='EmbeddedDataset',
            builder=embedded_data,
            dataset=dict(type='ASRManifestDataset', ann_file=f'{split}_manifest.json',
                         data_root=data_root, max_tokens=64)))


train_dataloader = _loader('train', True)
val_dataloader = _loader('val', False, batch_size=32)
test_dataloader = _loader('test', False, batch_size=32)
del _loader

# The rare words of the grammar (written to {data_root}/rare_words.txt as well).
rare_words = ['knight', 'sea', 'write', 'pear', 'flour', 'meat', 'rode', 'son']
val_evaluator = dict(type='WERMetric', rare_words=rare_words)
test_evaluator = val_evaluator
