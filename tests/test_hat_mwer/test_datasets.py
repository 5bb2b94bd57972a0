"""The embedded eSpeak corpus, the manifest dataset and the log-mel front end."""
import json
import os.path as osp

import pytest
import torch

from projects.hat_mwer.datasets import RARE_WORDS, ASRManifestDataset, lm_corpus, sample_sentences
from projects.hat_mwer.datasets.embedded_espeak_rare_words import ESpeakRareWordsBuilder
from projects.hat_mwer.models import LogMelPreprocessor, mel_filterbank


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('espeak') / 'rare')
    return ESpeakRareWordsBuilder(root, **ESpeakRareWordsBuilder.smallest_args).build()


def test_builder_writes_manifests_wavs_and_lm_text(corpus):
    for split in ('train', 'val', 'test'):
        lines = [json.loads(x) for x in open(osp.join(corpus, f'{split}_manifest.json'))]
        assert lines and all(osp.isfile(osp.join(corpus, x['audio_filepath'])) for x in lines)
        assert all(0.5 < x['duration'] < 4 for x in lines)
    test_voices = {json.loads(x)['speaker'] for x in open(osp.join(corpus, 'test_manifest.json'))}
    train_voices = {json.loads(x)['speaker']
                    for x in open(osp.join(corpus, 'train_manifest.json'))}
    assert not test_voices & train_voices
    assert open(osp.join(corpus, 'rare_words.txt')).read().split() == list(RARE_WORDS)
    assert len(open(osp.join(corpus, 'lm_text.txt')).read().splitlines()) == 200


def test_rare_words_are_rare_in_audio_text_but_common_in_lm_text():
    def share(sentences):
        return sum(any(w in RARE_WORDS for w in s.split()) for s in sentences) / len(sentences)
    assert share(sample_sentences(2000, 0.03, 0)) < 0.06
    assert share(lm_corpus(2000)) > 0.4
    assert sample_sentences(5, 0.5, 3) == sample_sentences(5, 0.5, 3)


def test_dataset_and_front_end(corpus):
    ds = ASRManifestDataset(osp.join(corpus, 'test_manifest.json'), data_root=corpus,
                            max_tokens=64)
    items = [ds[i] for i in range(2)]
    sample = items[0]['data_samples']
    assert sample.gt_tokens.shape == (64,)
    assert (sample.gt_tokens >= 0).sum() == len(sample.gt_text)
    pre = LogMelPreprocessor(num_mels=40, stack=3)
    out = pre(dict(inputs=[x['inputs'] for x in items],
                   data_samples=[x['data_samples'] for x in items]))
    assert out['inputs'].shape[-1] == 120
    n = [s.num_frames.item() for s in out['data_samples']]
    assert max(n) == out['inputs'].shape[1]
    # Padding frames are zero; valid frames are normalised.
    short = n.index(min(n))
    assert out['inputs'][short, n[short]:].abs().max() == 0 if min(n) < max(n) else True


def test_mel_filterbank_is_triangular_and_covers_the_band():
    fb = mel_filterbank(20, 400, 16000)
    assert fb.shape == (20, 201) and fb.max() <= 1.0 + 1e-6
    peaks = fb.argmax(1)
    assert torch.all(peaks[1:] > peaks[:-1])


def test_dataset_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.json'):
        ASRManifestDataset(str(tmp_path / 'nothing.json'))
