"""The WER metric on known strings."""
import pytest

from projects.hat_mwer.evaluation import WERMetric, rare_word_errors


def test_wer_and_rare_word_wer_on_known_strings():
    metric = WERMetric(rare_words=['knight', 'sea'])
    metric.results = [('the brave knight rode home', 'the brave night rode home'),
                      ('we swim in the sea', 'we swim in the sea'),
                      ('good night', 'good night my')]
    out = metric.compute_metrics(metric.results)
    # 1 substitution + 1 insertion over 5 + 5 + 2 reference words.
    assert out['wer'] == pytest.approx(100 * 2 / 12)
    # One of the two rare reference words is wrong.
    assert out['rare_wer'] == pytest.approx(50.0)


def test_rare_word_errors_count_deletions_not_insertions():
    assert rare_word_errors(['a knight b'], ['a b'], {'knight'}) == (1, 1)
    assert rare_word_errors(['a b'], ['a knight b'], {'knight'}) == (0, 0)
    assert rare_word_errors(['knight knight'], [''], {'knight'}) == (2, 2)


def test_missing_rare_word_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.txt'):
        WERMetric(rare_words=str(tmp_path / 'missing.txt'))
