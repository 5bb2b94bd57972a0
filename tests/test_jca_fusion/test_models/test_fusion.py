"""Joint cross-attention, vanilla cross-attention and concatenation."""
from __future__ import annotations

import math

import pytest
import torch

from projects.jca_fusion.models import ConcatFusion, CrossAttention, JointCrossAttention


def set_weights(module: JointCrossAttention) -> None:
    """W_jm = I, W_m = [1, −1], W_cm = [1, ..., 1], W_hm = [1, 2]ᵀ for both modalities."""
    with torch.no_grad():
        for w in (module.W_ja, module.W_jv):
            w.weight.copy_(torch.eye(2))
        for w in (module.W_a, module.W_v):
            w.weight.copy_(torch.tensor([[1.0, -1.0]]))
        for w in (module.W_ca, module.W_cv):
            w.weight.fill_(1.0)
        for w in (module.W_ha, module.W_hv):
            w.weight.copy_(torch.tensor([[1.0], [2.0]]))


def test_jca_equations_on_a_hand_computed_case():
    # L = 2, d_a = d_v = 1, k = 1: X_a = [1, 2]ᵀ, X_v = [0, 1]ᵀ, J = [[1, 0], [2, 1]], d = 2.
    jca = JointCrossAttention(audio_channels=1, visual_channels=1, num_segments=2,
                              hidden_channels=1)
    set_weights(jca)
    x_a = torch.tensor([[[1.0], [2.0]]])
    x_v = torch.tensor([[[0.0], [1.0]]])
    # C_a = tanh(X_aᵀ J / √2) = tanh([5, 2] / √2); H_a = ReLU([1, 2]·[1, −1] + ΣC_a)
    #     = ReLU(−1 + 0.99831 + 0.88838) = 0.88669; X_att,a = [1, 2]·H_a + X_a.
    h_a = max(0.0, -1 + math.tanh(5 / math.sqrt(2)) + math.tanh(2 / math.sqrt(2)))
    # C_v = tanh([2, 1] / √2); H_v = ReLU(−1 + 0.88838 + 0.60885) = 0.49723.
    h_v = max(0.0, -1 + math.tanh(2 / math.sqrt(2)) + math.tanh(1 / math.sqrt(2)))
    expected = torch.tensor([[[1 + h_a, 0 + h_v], [2 + 2 * h_a, 1 + 2 * h_v]]])
    torch.testing.assert_close(jca(x_a, x_v), expected)

    joint = torch.cat([x_a, x_v], -1)
    _, attn = jca.attend(x_a, joint, jca.W_ja, jca.W_a, jca.W_ca, jca.W_ha)
    torch.testing.assert_close(attn, torch.tensor([[[h_a]]]))
    _, attn = jca.attend(x_v, joint, jca.W_jv, jca.W_v, jca.W_cv, jca.W_hv)
    torch.testing.assert_close(attn, torch.tensor([[[h_v]]]))


def reference_jca(jca: JointCrossAttention, x_a: torch.Tensor,
                  x_v: torch.Tensor) -> torch.Tensor:
    """The equations (as in the official ``models/cam.py``), clip by clip, explicit matrices."""
    outs = []
    for xa, xv in zip(x_a, x_v, strict=True):
        joint = torch.cat([xa, xv], 1)
        d = joint.shape[1]
        attended = []
        for x, wj, wm, wc, wh in ((xa, jca.W_ja, jca.W_a, jca.W_ca, jca.W_ha),
                                  (xv, jca.W_jv, jca.W_v, jca.W_cv, jca.W_hv)):
            c = torch.tanh(x.T @ wj.weight @ joint / math.sqrt(d))      # d_m × d
            h = torch.relu(x.T @ wm.weight.T + c @ wc.weight.T)         # d_m × k
            attended.append((h @ wh.weight.T).T + x)                     # L × d_m
        outs.append(torch.cat(attended, 1))
    return torch.stack(outs)


def test_jca_matches_the_matrix_equations_and_shapes():
    torch.manual_seed(0)
    jca = JointCrossAttention(audio_channels=6, visual_channels=4, num_segments=5,
                              hidden_channels=3)
    x_a, x_v = torch.randn(2, 5, 6), torch.randn(2, 5, 4)
    out = jca(x_a, x_v)
    assert out.shape == (2, 5, 10) and jca.out_channels == 10
    torch.testing.assert_close(out, reference_jca(jca, x_a, x_v))
    _, attn = jca.attend(x_a, torch.cat([x_a, x_v], -1), jca.W_ja, jca.W_a, jca.W_ca,
                         jca.W_ha)
    assert attn.shape == (2, 6, 3)  # H_a ∈ R^{d_a×k}
    assert jca.W_ca.weight.shape == (3, 10) and jca.W_ja.weight.shape == (5, 5)


def test_jca_depends_on_both_modalities():
    torch.manual_seed(0)
    jca = JointCrossAttention(audio_channels=4, visual_channels=4, num_segments=3,
                              hidden_channels=8)
    x_a, x_v = torch.randn(1, 3, 4), torch.randn(1, 3, 4)
    before = jca(x_a, x_v)[..., :4]
    after = jca(x_a, x_v + 1.0)[..., :4]
    assert not torch.allclose(before, after)  # the attended audio sees the visual stream


def test_as_coded_output_is_raw_visual_and_attended_visual():
    torch.manual_seed(0)
    jca = JointCrossAttention(audio_channels=3, visual_channels=5, num_segments=4,
                              hidden_channels=2, output='as_coded', raw_visual_channels=7)
    x_a, x_v, raw_v = torch.randn(2, 4, 3), torch.randn(2, 4, 5), torch.randn(2, 4, 7)
    out = jca(x_a, x_v, raw_v=raw_v)
    assert out.shape == (2, 4, 12) and jca.out_channels == 12
    torch.testing.assert_close(out[..., :7], raw_v)
    attended = JointCrossAttention(audio_channels=3, visual_channels=5, num_segments=4,
                                   hidden_channels=2)
    attended.load_state_dict(jca.state_dict())
    torch.testing.assert_close(out[..., 7:], attended(x_a, x_v)[..., 3:])
    with pytest.raises(ValueError, match='raw_visual_channels=7'):
        jca(x_a, x_v)  # the projected features are not what the regressor reads
    with pytest.raises(ValueError, match='as_coded'):
        JointCrossAttention(output='concat')


def test_cross_attention_correlates_with_the_other_modality():
    torch.manual_seed(0)
    ca = CrossAttention(audio_channels=6, visual_channels=4, num_segments=5, hidden_channels=3)
    x_a, x_v = torch.randn(2, 5, 6), torch.randn(2, 5, 4)
    out = ca(x_a, x_v)
    assert out.shape == (2, 5, 10)
    assert ca.W_ca.weight.shape == (3, 4) and ca.W_cv.weight.shape == (3, 6)
    # Audio half by hand: C_a = tanh(X_aᵀ W_ja X_v / √d_v).
    xa, xv = x_a[0], x_v[0]
    c = torch.tanh(xa.T @ ca.W_ja.weight @ xv / 2.0)
    h = torch.relu(xa.T @ ca.W_a.weight.T + c @ ca.W_ca.weight.T)
    torch.testing.assert_close(out[0, :, :6], (h @ ca.W_ha.weight.T).T + xa)


def test_concat_fusion():
    x_a, x_v = torch.randn(2, 3, 4), torch.randn(2, 3, 5)
    fusion = ConcatFusion(4, 5)
    assert fusion.out_channels == 9
    torch.testing.assert_close(fusion(x_a, x_v), torch.cat([x_a, x_v], -1))
