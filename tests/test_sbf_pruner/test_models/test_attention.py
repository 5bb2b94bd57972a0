"""The leaky-exponential activation and the attention network (paper §2.2-2.3)."""
from __future__ import annotations

import pytest
import torch

from projects.sbf_pruner.models import AttentionNetwork, LeakyExponential, leaky_exponential


def test_leaky_exponential_meets_the_papers_requirements():
    x = torch.linspace(-20, 5, 501, dtype=torch.float64, requires_grad=True)
    s = leaky_exponential(x, leak=0.01)
    assert leaky_exponential(torch.zeros(1)).item() == 1.0  # starts dense
    assert (s > 0).all() and (s[x <= 0] <= 1).all()
    s.sum().backward()
    assert (x.grad > 0).all()  # never a zero gradient, unlike a saturated sigmoid
    torch.testing.assert_close(x.grad[x > 0], torch.full_like(x.grad[x > 0], 0.01))
    torch.testing.assert_close(x.grad[x <= 0], s[x <= 0].detach())  # d/dx exp(x) = exp(x)
    assert torch.isfinite(leaky_exponential(torch.tensor([1e4]))).all()


def test_leak_must_be_positive():
    with pytest.raises(ValueError, match='leak'):
        LeakyExponential(0.0)


@pytest.mark.parametrize('attention', ['dot', 'additive'])
def test_scores_start_near_one(attention):
    torch.manual_seed(0)
    an = AttentionNetwork(27, embed_dims=8, attention=attention)
    scores = an(torch.randn(16, 27) / 27 ** 0.5)
    assert scores.shape == (16, )
    torch.testing.assert_close(scores, torch.ones(16), atol=0.05, rtol=0)


@pytest.mark.parametrize('attention', ['dot', 'additive'])
def test_scores_depend_on_the_weights_of_the_whole_layer(attention):
    """A filter's score follows its own weights and, through attention, the others'.

    Paper, Sec. 2.2-2.3.
    """
    torch.manual_seed(0)
    an = AttentionNetwork(18, embed_dims=8, attention=attention)
    torch.nn.init.normal_(an.score.weight, std=1.0)
    filters = torch.randn(6, 18)
    before = an(filters)
    changed = filters.clone()
    changed[0] = torch.randn(18)
    after = an(changed)
    assert not torch.allclose(before[0], after[0])
    # Filters 1..5 are unchanged, yet their scores move: correlations between filters count.
    assert not torch.allclose(before[1:], after[1:])
    # Permuting the filters permutes the scores: a score belongs to its filter.
    perm = torch.randperm(6)
    torch.testing.assert_close(an(filters[perm]), before[perm])


def test_unknown_attention_type():
    with pytest.raises(ValueError, match="'mlp'"):
        AttentionNetwork(9, attention='mlp')
