"""f_C: running max over time with a head per step; the detached fusion head of variant B."""
from __future__ import annotations

import pytest
import torch

from projects.adafocus_v2.models import DetachedFusionHead, PoolingClassifier


def test_step_logits_are_heads_on_the_running_max():
    clf = PoolingClassifier(in_channels=5, num_classes=3, num_frames=4, hidden_dim=6).eval()
    g, loc = torch.randn(2, 4, 2), torch.randn(2, 4, 3)
    logits = clf(g, loc)
    assert logits.shape == (2, 4, 3)
    z = clf.mlp(torch.cat([g, loc], -1).flatten(0, 1)).view(2, 4, 6)
    for t in range(4):
        pooled = z[:, :t + 1].max(1).values
        torch.testing.assert_close(logits[:, t], clf.heads[t](pooled))


def test_each_step_has_its_own_head_and_sees_only_the_past():
    clf = PoolingClassifier(in_channels=4, num_classes=3, num_frames=3, hidden_dim=5).eval()
    g, loc = torch.randn(2, 3, 2), torch.randn(2, 3, 2)
    before = clf(g, loc)
    with torch.no_grad():
        clf.heads[1][1].weight.add_(1.0)
    after = clf(g, loc)
    assert not torch.allclose(after[:, 1], before[:, 1])
    torch.testing.assert_close(after[:, [0, 2]], before[:, [0, 2]])
    later = g.clone()
    later[:, 2] += 5.0
    torch.testing.assert_close(clf(later, loc)[:, :2], after[:, :2])


def test_classifier_names_a_wrong_shape():
    clf = PoolingClassifier(in_channels=4, num_classes=3, num_frames=3, hidden_dim=5)
    with pytest.raises(ValueError, match=r'expects \(B, 3, 4\) features, got \(2, 2, 4\)'):
        clf(torch.randn(2, 2, 2), torch.randn(2, 2, 2))


def test_detached_fusion_head_stops_the_gradient():
    head = DetachedFusionHead(global_channels=3, local_channels=4, num_classes=2, dropout=0.0)
    g = torch.randn(2, 5, 3, requires_grad=True)
    loc = torch.randn(2, 7, 4, requires_grad=True)
    logits = head(g, loc)
    assert logits.shape == (2, 1, 2)
    expected = head.global_fc(g).mean(1) + head.local_fc(loc).mean(1)
    torch.testing.assert_close(logits[:, 0], expected)
    logits.sum().backward()
    assert g.grad is None and loc.grad is None
    assert head.global_fc[1].weight.grad.abs().sum() > 0
