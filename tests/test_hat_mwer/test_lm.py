"""The external LMs: normalisation, Kneser-Ney behaviour, the batched state interface."""
import math

import pytest
import torch

from projects.hat_mwer.models import LSTMLM, CharTokenizer, KNGramLM, load_corpus

CORPUS = ['the brave knight rode home', 'good night my friend', 'the night is dark',
          'a knight with a sword'] * 5


@pytest.fixture(scope='module')
def kn():
    return KNGramLM(CORPUS, order=5)


def test_kneser_ney_distributions_sum_to_one(kn):
    tok = CharTokenizer()
    for ctx in [(tok.bos,) * 4, tuple(tok.index[c] for c in 've k'), tuple(tok.encode('zzzz'))]:
        assert math.isclose(kn.distribution(ctx).exp().sum().item(), 1.0, rel_tol=1e-5)
    # Every character keeps some mass (interpolation down to the uniform).
    assert kn.distribution(tuple(tok.encode('zzzz'))).exp().min() > 0


def test_kneser_ney_uses_context(kn):
    tok = CharTokenizer()
    after_brave = kn.distribution(tuple(tok.index[c] for c in 'ave '))
    after_good = kn.distribution(tuple(tok.index[c] for c in 'ood '))
    k, n = tok.index['k'], tok.index['n']
    assert after_brave[k] > after_brave[n] and after_good[n] > after_good[k]


def test_continuation_counts_drive_the_unigram():
    # 'x' occurs often but only after 'a'; 'y' as often after many letters.
    lm = KNGramLM(['ax ax ax ax', 'by cy dy ey'], order=2)
    uni = lm.tables[1][()]
    x, y = CharTokenizer().index['x'], CharTokenizer().index['y']
    assert uni[0][x] == 1 and uni[0][y] == 4


@pytest.mark.parametrize('make', [lambda: KNGramLM(CORPUS, order=5),
                                  lambda: LSTMLM(CORPUS, hidden_channels=16, train_steps=30,
                                                 batch_size=8)])
def test_state_interface_matches_sequence_scores(make):
    lm = make()
    tok = CharTokenizer()
    seqs = [tok.encode('the night'), tok.encode('a knight')]
    label, eos = lm.sequence_logprobs(seqs)
    state = lm.init_state(2)
    for u in range(max(map(len, seqs))):
        logp = lm.next_logprobs(state)
        assert torch.allclose(logp.exp().sum(-1), torch.ones(2), atol=1e-4)
        for i, s in enumerate(seqs):
            if u < len(s):
                assert math.isclose(logp[i, s[u]].item(), label[i, u].item(), abs_tol=1e-4)
        tokens = torch.tensor([s[u] if u < len(s) else 0 for s in seqs])
        state = lm.advance(state, tokens)
    # select reorders hypotheses.
    swapped = lm.select(lm.init_state(2), torch.tensor([1, 1]))
    assert lm.next_logprobs(swapped).shape == (2, tok.num_labels + 1)
    assert eos.shape == (2,)


def test_lstm_lm_learns_and_is_frozen():
    lm = LSTMLM(CORPUS, hidden_channels=32, train_steps=80, batch_size=8)
    tok = CharTokenizer()
    label, _ = lm.sequence_logprobs([tok.encode('the brave knight rode home')])
    assert -label.mean() < math.log(tok.num_labels) - 1.0
    assert not any(p.requires_grad for p in lm.parameters())


def test_corpus_errors_name_the_file():
    with pytest.raises(FileNotFoundError, match='nowhere.txt'):
        load_corpus('nowhere.txt')
