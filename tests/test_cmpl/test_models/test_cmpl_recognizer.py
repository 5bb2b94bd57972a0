"""CMPLRecognizer: threshold masking, cross assignment with stop-gradient, modes, predict."""
from __future__ import annotations

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from torch.nn import functional as nnf

from projects.cmpl.models import CMPLRecognizer
from tests.test_cmpl.conftest import recognizer

MU, BATCH, CLASSES = 2, 2, 10


def build(mode: str = 'cmpl', threshold: float = 0.0, seed: int = 0) -> CMPLRecognizer:
    torch.manual_seed(seed)
    return MODELS.build(dict(
        type='CMPLRecognizer', primary=recognizer(4, CLASSES),
        auxiliary=recognizer(2, CLASSES) if mode == 'cmpl' else None, mode=mode,
        threshold=threshold))


def batch(seed: int = 0) -> tuple[dict, list]:
    g = torch.Generator().manual_seed(seed)
    def clips(n, t):
        return torch.randn(BATCH, n, 3, t, 16, 16, generator=g)
    inputs = dict(primary=clips(1, 4), auxiliary=clips(1, 8),
                  primary_weak=clips(MU, 4), primary_strong=clips(MU, 4),
                  auxiliary_weak=clips(MU, 8), auxiliary_strong=clips(MU, 8))
    samples = []
    for i in range(BATCH):
        sample = ActionDataSample().set_gt_label(i % CLASSES)
        sample.set_metainfo(dict(unlabeled_labels=[0] * MU))
        samples.append(sample)
    return inputs, samples


def test_threshold_masks_unconfident_clips():
    model = build(threshold=0.6)
    probs = torch.tensor([[0.6, 0.4], [0.59, 0.41], [0.2, 0.8], [0.5, 0.5]])

    class Fixed(torch.nn.Module):
        def extract_feat(self, clips, stage):
            return probs.log(), {}

    labels, mask = model.pseudo_labels(Fixed(), torch.zeros(4))
    assert labels.tolist() == [0, 0, 1, 0]
    assert mask.tolist() == [1.0, 0.0, 1.0, 0.0]  # confidence >= tau, boundary included
    scores = torch.randn(4, 2, requires_grad=True)
    loss = model.masked_ce(scores, labels, mask)
    expected = (nnf.cross_entropy(scores[0:1], labels[0:1])
                + nnf.cross_entropy(scores[2:3], labels[2:3])) / 4  # mean over all clips
    torch.testing.assert_close(loss, expected)
    loss.backward()
    assert scores.grad[1].abs().sum() == 0 and scores.grad[3].abs().sum() == 0


def test_cross_assignment_and_stop_gradient():
    model = build('cmpl', threshold=0.0).train()
    for m in model.modules():  # dropout-free, batch statistics kept fixed for the reference
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.eval()
    inputs, samples = batch()
    for key in ('primary_weak', 'auxiliary_weak'):
        inputs[key].requires_grad_(True)
    losses = model.loss(inputs, samples)

    with torch.no_grad():
        f_weak = model.logits(model.primary, inputs['primary_weak']).argmax(-1)
        a_weak = model.logits(model.auxiliary, inputs['auxiliary_weak']).argmax(-1)
    assert (f_weak != a_weak).any(), 'the two networks must disagree for the test to bite'
    f_strong = model.logits(model.primary, inputs['primary_strong'])
    a_strong = model.logits(model.auxiliary, inputs['auxiliary_strong'])
    # F learns from A's labels and A from F's, not from their own.
    torch.testing.assert_close(losses['loss_unsup_primary'], nnf.cross_entropy(f_strong, a_weak))
    torch.testing.assert_close(losses['loss_unsup_aux'], nnf.cross_entropy(a_strong, f_weak))
    assert not torch.allclose(losses['loss_unsup_primary'], nnf.cross_entropy(f_strong, f_weak))

    model.zero_grad()
    losses['loss_unsup_primary'].backward()
    assert all(p.grad is None for p in model.auxiliary.parameters()), \
        "A's labels must not pass a gradient to A"
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in model.primary.parameters())
    assert inputs['primary_weak'].grad is None and inputs['auxiliary_weak'].grad is None


def test_fixmatch_uses_its_own_labels_and_supervised_ignores_unlabeled():
    model = build('fixmatch', threshold=0.0).eval()
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    with torch.no_grad():
        own = model.logits(model.primary, inputs['primary_weak']).argmax(-1)
        expected = nnf.cross_entropy(model.logits(model.primary, inputs['primary_strong']), own)
    torch.testing.assert_close(losses['loss_unsup_primary'], expected)
    assert 'loss_unsup_aux' not in losses and 'loss_sup_aux' not in losses

    supervised = build('supervised')
    losses = supervised.loss({'primary': inputs['primary']}, samples)
    assert sorted(k for k in losses if k.startswith('loss')) == ['loss_sup_primary']


def test_statistics_of_pseudo_labels():
    labels, mask = torch.tensor([1, 2, 3, 4]), torch.tensor([1.0, 1.0, 0.0, 0.0])
    stats = CMPLRecognizer.label_stats('aux', labels, mask, torch.tensor([1, 0, 3, 4]))
    assert stats['mask_aux'] == 0.5
    assert stats['precision_aux'] == 0.5  # one of the two confident labels is right
    assert stats['recall_aux'] == 0.25  # right and confident among all four
    truth = torch.tensor([1, 0, 3, 4])
    both = dict(aux=(labels, mask), primary=(torch.tensor([1, 0, 3, 0]), torch.ones(4)))
    extra = CMPLRecognizer.complementarity(both, truth)
    assert extra['complement_aux'] == 0.0  # A's one right label, F has it too
    assert extra['complement_primary'] == 0.5  # F alone gets clips 1 and 2 right


def test_predict_is_the_primary_alone():
    model = build('cmpl').eval()
    inputs, samples = batch()
    with torch.no_grad():
        joint = model.predict(inputs, [s.clone() for s in samples])
        alone = model.primary.predict(inputs['primary'], [s.clone() for s in samples])
        plain = model(inputs['primary'], [s.clone() for s in samples], mode='predict')
    for a, b, c in zip(joint, alone, plain, strict=False):
        torch.testing.assert_close(a.pred_score, b.pred_score)
        torch.testing.assert_close(a.pred_score, c.pred_score)


@pytest.mark.parametrize('mode, auxiliary', [('cmpl', None), ('fixmatch', recognizer(2)),
                                             ('semi', None)])
def test_bad_configs_raise(mode, auxiliary):
    with pytest.raises(ValueError, match='mode'):
        MODELS.build(dict(type='CMPLRecognizer', primary=recognizer(2), auxiliary=auxiliary,
                          mode=mode))
