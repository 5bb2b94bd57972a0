"""MWER over the N-best: value, mean subtraction and the gradient's direction."""
import torch

from projects.hat_mwer.models import mwer_loss, word_errors


def test_word_errors():
    assert word_errors('the brave night', 'the brave knight') == 1
    assert word_errors('', 'a b c') == 3
    assert word_errors('a x b c', 'a b c') == 1
    assert word_errors('a b c', 'a b c') == 0


def test_mwer_value_is_the_mean_subtracted_expected_errors():
    scores = torch.tensor([[0.0, 0.0, -1e9]])
    errors = torch.tensor([[0.0, 2.0, 5.0]])
    valid = torch.tensor([[True, True, False]])
    # Renormalised over the two valid hypotheses: 0.5 * (0 - 1) + 0.5 * (2 - 1) = 0.
    assert torch.allclose(mwer_loss(scores, errors, valid), torch.zeros(1))
    loss = mwer_loss(torch.tensor([[2.0, 0.0]]), torch.tensor([[0.0, 2.0]]))
    p = torch.softmax(torch.tensor([2.0, 0.0]), 0)
    assert torch.allclose(loss, (p * torch.tensor([-1.0, 1.0])).sum())


def test_gradient_pushes_probability_toward_the_lower_error_hypothesis():
    scores = torch.tensor([[0.3, 0.1, -0.2]], requires_grad=True)
    errors = torch.tensor([[2.0, 0.0, 1.0]])
    mwer_loss(scores, errors).sum().backward()
    g = scores.grad[0]
    assert g[1] < 0 < g[0]  # descent raises the 0-error hypothesis, lowers the 2-error one
    with torch.no_grad():
        stepped = scores - 0.5 * scores.grad
    before = torch.softmax(scores, -1)[0, 1]
    assert torch.softmax(stepped, -1)[0, 1] > before
    # Equal errors: no preference, zero gradient.
    flat = torch.zeros(1, 3, requires_grad=True)
    mwer_loss(flat, torch.ones(1, 3)).sum().backward()
    assert flat.grad.abs().max() == 0
