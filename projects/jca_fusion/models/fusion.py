"""Audio-visual fusion modules: joint cross-attention (JCA) and its two baselines.

All modules take time-major clip features X_a ∈ R^{B×L×d_a} and X_v ∈ R^{B×L×d_v} (row ℓ is
sub-sequence ℓ of the clip, as in the official ``models/cam.py``) and return one fused
feature per sub-sequence, R^{B×L×out_channels}.
"""
from __future__ import annotations

import math

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import nn


@MODELS.register_module()
class JointCrossAttention(BaseModule):
    """Joint cross-attention of Praveen et al. (CVPR-W 2022), as in the official ``models/cam.py``.

    With X_m ∈ R^{L×d_m} for m ∈ {a, v} (one clip, time-major) and the joint representation
    J = [X_a, X_v] ∈ R^{L×d}, d = d_a + d_v:

    - joint correlation  C_m = tanh(X_mᵀ W_jm J / √d) ∈ R^{d_m×d}
    - attention maps     H_m = ReLU(X_mᵀ W_m + C_m W_cm) ∈ R^{d_m×k}
    - attended features  X_att,m = (H_m W_hm)ᵀ + X_m ∈ R^{L×d_m}

    and the output is [X_att,a, X_att,v] ∈ R^{L×d} (the paper's regressor input). W_jm, W_m
    and W_hm act along time, so the module is tied to ``num_segments`` = L (as in the official
    ``models/cam.py``). All matrices are bias-free linear layers, as in the official ``cam.py``
    (``affine_a``/``affine_v`` = W_ja/W_jv, ``W_a``/``W_v``, ``W_ca``/``W_cv``, ``W_ha``/``W_hv``).

    Args:
        audio_channels (int): d_a. Defaults to 128.
        visual_channels (int): d_v. Defaults to 128.
        num_segments (int): L, sub-sequences per clip. Defaults to 8.
        hidden_channels (int): k, width of the attention maps. Defaults to 32.
        output (str): ``'attended'`` gives [X_att,a, X_att,v] (the paper); ``'as_coded'`` gives
            [raw X_v, X_att,v], the regressor input of the official code: the visual feature
            *before* its 512→128 projection beside the attended one, 512 + 128 = 640-d
            (T-BIOM ``models/cam.py`` and CVPR-W ``models/cam.py`` before Dec 2022, issue #4;
            an ablation). Defaults to ``'attended'``.
        raw_visual_channels (int, optional): Width of the unprojected visual feature that
            ``'as_coded'`` concatenates (the regressor fills it in from its visual encoder).
            Defaults to ``visual_channels``.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 audio_channels: int = 128,
                 visual_channels: int = 128,
                 num_segments: int = 8,
                 hidden_channels: int = 32,
                 output: str = 'attended',
                 raw_visual_channels: int | None = None,
                 init_cfg: dict | None = None) -> None:
        super().__init__(init_cfg)
        if output not in ('attended', 'as_coded'):
            raise ValueError(f"output must be 'attended' or 'as_coded', got {output!r}.")
        self.audio_channels = audio_channels
        self.visual_channels = visual_channels
        self.raw_visual_channels = raw_visual_channels or visual_channels
        self.num_segments = num_segments
        self.output = output
        length, k = num_segments, hidden_channels
        ref_a, ref_v = self.reference_channels()
        self.W_ja = nn.Linear(length, length, bias=False)
        self.W_jv = nn.Linear(length, length, bias=False)
        self.W_a = nn.Linear(length, k, bias=False)
        self.W_v = nn.Linear(length, k, bias=False)
        self.W_ca = nn.Linear(ref_a, k, bias=False)
        self.W_cv = nn.Linear(ref_v, k, bias=False)
        self.W_ha = nn.Linear(k, length, bias=False)
        self.W_hv = nn.Linear(k, length, bias=False)

    @property
    def out_channels(self) -> int:
        """Channels of the fused feature per sub-sequence."""
        if self.output == 'as_coded':
            return self.raw_visual_channels + self.visual_channels
        return self.audio_channels + self.visual_channels

    def reference_channels(self) -> tuple[int, int]:
        """Width of what each modality is correlated with: J for both (d = d_a + d_v)."""
        d = self.audio_channels + self.visual_channels
        return d, d

    def references(self, x_a: torch.Tensor,
                   x_v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """What X_a and X_v are correlated with: the joint representation J for both."""
        joint = torch.cat([x_a, x_v], dim=-1)
        return joint, joint

    @staticmethod
    def attend(x: torch.Tensor, ref: torch.Tensor, w_j: nn.Linear, w_x: nn.Linear,
               w_c: nn.Linear, w_h: nn.Linear) -> tuple[torch.Tensor, torch.Tensor]:
        """Attended features of one modality and its attention map.

        Args:
            x (Tensor): X_m, (B, L, d_m).
            ref (Tensor): The reference (J for JCA), (B, L, d_r).
            w_j, w_x, w_c, w_h (nn.Linear): W_jm, W_m, W_cm, W_hm.

        Returns:
            tuple[Tensor, Tensor]: X_att,m (B, L, d_m) and H_m (B, d_m, k).
        """
        x_t = x.transpose(1, 2)                                    # X_mᵀ, (B, d_m, L)
        # W_jm acts along time: (Jᵀ W_jmᵀ)ᵀ = W_jm J, as the official code applies it.
        weighted_ref = w_j(ref.transpose(1, 2)).transpose(1, 2)    # W_jm J, (B, L, d_r)
        corr = torch.tanh(x_t @ weighted_ref / math.sqrt(ref.shape[-1]))  # C_m, (B, d_m, d_r)
        attn = torch.relu(w_x(x_t) + w_c(corr))                   # H_m, (B, d_m, k)
        attended = w_h(attn).transpose(1, 2) + x                   # (H_m W_hm)ᵀ + X_m
        return attended, attn

    def forward(self, x_a: torch.Tensor, x_v: torch.Tensor,
                raw_v: torch.Tensor | None = None) -> torch.Tensor:
        """Fuses audio and visual clip features.

        Args:
            x_a (Tensor): Audio features X_a, (B, L, d_a).
            x_v (Tensor): Visual features X_v, (B, L, d_v).
            raw_v (Tensor, optional): The visual features before their projection,
                (B, L, raw_visual_channels); ``'as_coded'`` needs them. Defaults to ``x_v``.

        Returns:
            Tensor: Fused features, (B, L, out_channels).
        """
        ref_a, ref_v = self.references(x_a, x_v)
        att_a, _ = self.attend(x_a, ref_a, self.W_ja, self.W_a, self.W_ca, self.W_ha)
        att_v, _ = self.attend(x_v, ref_v, self.W_jv, self.W_v, self.W_cv, self.W_hv)
        if self.output == 'as_coded':
            raw_v = x_v if raw_v is None else raw_v
            if raw_v.shape[-1] != self.raw_visual_channels:
                raise ValueError(f'raw_v has {raw_v.shape[-1]} channels; the module was built '
                                 f'with raw_visual_channels={self.raw_visual_channels}.')
            return torch.cat([raw_v, att_v], dim=-1)
        return torch.cat([att_a, att_v], dim=-1)


@MODELS.register_module()
class CrossAttention(JointCrossAttention):
    """Vanilla cross-attention: each modality is correlated with the *other* one.

    The baseline the JCA paper improves on (its earlier FG 2021 model): the same equations
    as :class:`JointCrossAttention` with J replaced by the other modality,
    C_a = tanh(X_aᵀ W_ja X_v / √d_v) ∈ R^{d_a×d_v} and C_v = tanh(X_vᵀ W_jv X_a / √d_a), so
    that the only difference in the ablation is the joint representation. The FG 2021
    paper's exact form could not be checked (unconfirmed; see README, 'Unconfirmed
    choices'); this is the variant the JCA abstract describes ("vanilla cross-attention",
    correlation across modalities only).

    Args:
        audio_channels (int): d_a. Defaults to 128.
        visual_channels (int): d_v. Defaults to 128.
        num_segments (int): L. Defaults to 8.
        hidden_channels (int): k. Defaults to 32.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 audio_channels: int = 128,
                 visual_channels: int = 128,
                 num_segments: int = 8,
                 hidden_channels: int = 32,
                 init_cfg: dict | None = None) -> None:
        super().__init__(audio_channels, visual_channels, num_segments, hidden_channels,
                         'attended', init_cfg=init_cfg)

    def reference_channels(self) -> tuple[int, int]:
        """Audio is correlated with the visual features (d_v) and vice versa (d_a)."""
        return self.visual_channels, self.audio_channels

    def references(self, x_a: torch.Tensor,
                   x_v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Audio attends to the visual features and visual to the audio ones."""
        return x_v, x_a


@MODELS.register_module()
class ConcatFusion(BaseModule):
    """Feature concatenation [X_a, X_v], the no-attention baseline of the ablation.

    Args:
        audio_channels (int): d_a. Defaults to 128.
        visual_channels (int): d_v. Defaults to 128.
    """

    def __init__(self, audio_channels: int = 128, visual_channels: int = 128) -> None:
        super().__init__()
        self.out_channels = audio_channels + visual_channels

    def forward(self, x_a: torch.Tensor, x_v: torch.Tensor,
                raw_v: torch.Tensor | None = None) -> torch.Tensor:
        """Returns [X_a, X_v], (B, L, d_a + d_v) (``raw_v`` is not used)."""
        return torch.cat([x_a, x_v], dim=-1)
