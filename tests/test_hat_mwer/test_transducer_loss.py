"""The vectorised HAT transducer loss against alignment enumeration and a node loop, and the
HAT joint's normalisation and internal LM."""
import pytest
import torch

from projects.hat_mwer.models import (
    HATJoint,
    hat_transducer_loss,
    transducer_loss_bruteforce,
    transducer_loss_loop,
)


def hat_lattice(b, t, u, v, seed=0, dtype=torch.float64):
    """A random HAT joint's log-probs over a random lattice (leaf tensors: encoder, pred)."""
    torch.manual_seed(seed)
    joint = HATJoint(5, 6, 8, v).to(dtype)
    enc = torch.randn(b, t, 5, dtype=dtype, requires_grad=True)
    pred = torch.randn(b, u + 1, 6, dtype=dtype, requires_grad=True)
    return joint, enc, pred


def test_hat_outputs_are_normalised_and_blank_is_a_sigmoid():
    joint, enc, pred = hat_lattice(2, 4, 3, 5)
    label, blank = joint(enc, pred)
    total = label.exp().sum(-1) + blank.exp()
    torch.testing.assert_close(total, torch.ones_like(total))
    hidden = torch.tanh(joint.enc_proj(enc)[:, :, None] + joint.pred_proj(pred)[:, None])
    torch.testing.assert_close(blank, torch.sigmoid(joint.blank_head(hidden)[..., 0]).log())
    # Given "not blank", the labels follow their own softmax.
    cond = label - torch.log1p(-blank.exp())[..., None]
    torch.testing.assert_close(cond.exp().sum(-1), torch.ones_like(blank))


def test_ilm_is_the_label_head_on_the_prediction_term_alone():
    joint, enc, pred = hat_lattice(1, 3, 2, 5)
    ilm = joint.ilm_logprobs(pred)
    # With the encoder term zeroed (and its bias removed) the joint's label softmax is the ILM.
    zero_enc = torch.zeros_like(enc)
    with torch.no_grad():
        joint.enc_proj.bias.zero_()
    label, blank = joint(zero_enc, pred)
    cond = label - torch.log1p(-blank.exp())[..., None]
    torch.testing.assert_close(cond[0, 0], ilm[0])
    assert torch.allclose(ilm.exp().sum(-1), torch.ones(1, 3, dtype=ilm.dtype))


@pytest.mark.parametrize('reference', [transducer_loss_bruteforce, transducer_loss_loop])
def test_loss_and_gradient_equal_the_references_on_a_padded_batch(reference):
    b, t, u, v = 3, 4, 3, 4
    joint, enc, pred = hat_lattice(b, t, u, v, seed=1)
    targets = torch.tensor([[1, 2, 3], [0, 2, 0], [3, 0, 0]])
    logit_lengths = torch.tensor([4, 3, 2])
    target_lengths = torch.tensor([3, 2, 1])
    label, blank = joint(enc, pred)
    fast = hat_transducer_loss(label, blank, targets, logit_lengths, target_lengths)
    grads = torch.autograd.grad(fast.sum(), (enc, pred))
    label, blank = joint(enc, pred)
    slow = reference(label, blank, targets, logit_lengths, target_lengths)
    slow_grads = torch.autograd.grad(slow.sum(), (enc, pred))
    torch.testing.assert_close(fast, slow)
    for g, h in zip(grads, slow_grads, strict=True):
        torch.testing.assert_close(g, h)
    # Padding takes no part: frames and labels past each utterance's end get no gradient.
    assert grads[0][1, 3:].abs().max() == 0 and grads[0][2, 2:].abs().max() == 0


def test_padded_utterance_equals_it_alone():
    joint, enc, pred = hat_lattice(2, 5, 3, 4, seed=2)
    targets = torch.tensor([[1, 2, 0], [2, 1, 3]])
    label, blank = joint(enc, pred)
    batch = hat_transducer_loss(label, blank, targets, torch.tensor([3, 5]),
                                torch.tensor([2, 3]))
    alone = hat_transducer_loss(label[:1, :3, :3], blank[:1, :3, :3], targets[:1, :2],
                                torch.tensor([3]), torch.tensor([2]))
    torch.testing.assert_close(batch[:1], alone)


def test_probabilities_of_all_label_sequences_sum_to_at_most_one():
    """Sum over every sequence of up to 2 labels of P(y|x): the transducer is a distribution
    over sequences (the rest of the mass is on longer ones)."""
    v, t = 2, 2
    joint, enc, pred_net = hat_lattice(1, t, 2, v, seed=3)
    total = 0.0
    import itertools
    for n in range(3):
        for seq in itertools.product(range(v), repeat=n):
            targets = torch.tensor([list(seq) + [0] * (2 - n)])
            label, blank = joint(enc, pred_net)
            total += torch.exp(-hat_transducer_loss(label, blank, targets, torch.tensor([t]),
                                                    torch.tensor([n]))).item()
    assert 0.3 < total <= 1.0 + 1e-9


def test_bad_lengths_are_named():
    joint, enc, pred = hat_lattice(1, 3, 2, 4)
    label, blank = joint(enc, pred)
    with pytest.raises(ValueError, match='lengths out of range'):
        hat_transducer_loss(label, blank, torch.zeros(1, 2, dtype=torch.long),
                            torch.tensor([4]), torch.tensor([1]))
