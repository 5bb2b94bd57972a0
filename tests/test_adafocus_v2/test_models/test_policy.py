"""The policy network π: shapes, range, causality of the GRU, the per-clip variant."""
from __future__ import annotations

import pytest
import torch

from projects.adafocus_v2.models import PolicyNetwork


def test_recurrent_policy_is_causal_and_in_range():
    policy = PolicyNetwork(in_channels=6, spatial_size=3, num_frames=5, reduced_channels=4,
                           hidden_dims=(8,)).eval()
    feats = torch.randn(2, 5, 6, 3, 3)
    actions = policy(feats)
    assert actions.shape == (2, 5, 2)
    assert ((actions > 0) & (actions < 1)).all()
    changed = feats.clone()
    changed[:, 3] += 1.0
    after = policy(changed)
    # The GRU runs forward in time: frames after t never change the action of frame t.
    torch.testing.assert_close(after[:, :3], actions[:, :3])
    assert not torch.allclose(after[:, 3:], actions[:, 3:])


def test_per_clip_policy_gives_one_action_from_all_frames():
    policy = PolicyNetwork(in_channels=6, spatial_size=(3, 2), num_frames=4, reduced_channels=4,
                           hidden_dims=(8, 4), recurrent=False, per_clip=True).eval()
    feats = torch.randn(3, 4, 6, 3, 2)
    actions = policy(feats)
    assert actions.shape == (3, 1, 2)
    changed = feats.clone()
    changed[:, -1] += 1.0
    assert not torch.allclose(policy(changed), actions)


def test_wrong_feature_shape_is_named():
    policy = PolicyNetwork(in_channels=6, spatial_size=3, num_frames=5, hidden_dims=(8,))
    with pytest.raises(ValueError, match=r'5 frames x 6 x \(3, 3\), got 4 x 6 x \(3, 3\)'):
        policy(torch.randn(2, 4, 6, 3, 3))


def test_recurrent_and_per_clip_exclude_each_other():
    with pytest.raises(ValueError, match='exclude each other'):
        PolicyNetwork(in_channels=6, spatial_size=3, recurrent=True, per_clip=True)
