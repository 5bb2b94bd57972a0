"""HAT's networks: acoustic encoders, prediction network and the HAT joint.

The joint follows the HAT factorisation (Variani et al., ICASSP 2020, the HAT model): the
blank is a Bernoulli ``b_{t,u} = sigmoid(w_b . tanh(f_t + g_u))`` and the labels a separate
softmax scaled by ``1 - b_{t,u}``; the internal LM (its internal-LM section) is the label
softmax with the encoder term removed, ``log_softmax(J(tanh(g_u)))``.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional

from ..registry import MODELS


@MODELS.register_module()
class LSTMEncoder(nn.Module):
    """Bidirectional LSTM over (stacked) log-mel frames, padding-aware.

    Args:
        in_channels (int): Feature size per frame.
        hidden_channels (int): LSTM size per direction.
        num_layers (int): LSTM layers. Defaults to 2.
        out_channels (int): Output size (a linear map of both directions).
        dropout (float): Dropout between LSTM layers. Defaults to 0.
    """

    def __init__(self, in_channels: int, hidden_channels: int, out_channels: int,
                 num_layers: int = 2, dropout: float = 0.0) -> None:
        super().__init__()
        self.lstm = nn.LSTM(in_channels, hidden_channels, num_layers, batch_first=True,
                            bidirectional=True, dropout=dropout if num_layers > 1 else 0.0)
        self.proj = nn.Linear(2 * hidden_channels, out_channels)
        self.out_channels = out_channels

    def forward(self, feats: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        packed = nn.utils.rnn.pack_padded_sequence(feats, lengths.cpu(), batch_first=True,
                                                   enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True,
                                                  total_length=feats.shape[1])
        return self.proj(out)


class _ConformerBlock(nn.Module):
    """Macaron FFN, self-attention, convolution module, FFN (Gulati et al. 2020, Fig. 1)."""

    def __init__(self, dim: int, heads: int, kernel_size: int, dropout: float) -> None:
        super().__init__()
        self.ff1 = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.SiLU(),
                                 nn.Dropout(dropout), nn.Linear(4 * dim, dim))
        self.ff2 = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.SiLU(),
                                 nn.Dropout(dropout), nn.Linear(4 * dim, dim))
        self.attn_norm = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.conv_norm = nn.LayerNorm(dim)
        self.pointwise1 = nn.Conv1d(dim, 2 * dim, 1)
        self.depthwise = nn.Conv1d(dim, dim, kernel_size, padding=kernel_size // 2, groups=dim)
        self.conv_bn = nn.BatchNorm1d(dim)
        self.pointwise2 = nn.Conv1d(dim, dim, 1)
        self.out_norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor, pad: torch.Tensor) -> torch.Tensor:
        x = x + 0.5 * self.ff1(x)
        y = self.attn_norm(x)
        x = x + self.attn(y, y, y, key_padding_mask=pad, need_weights=False)[0]
        y = self.conv_norm(x).masked_fill(pad[..., None], 0).transpose(1, 2)
        y = functional.glu(self.pointwise1(y), dim=1)
        y = self.pointwise2(functional.silu(self.conv_bn(self.depthwise(y))))
        x = x + y.transpose(1, 2)
        x = x + 0.5 * self.ff2(x)
        return self.out_norm(x)


@MODELS.register_module()
class ConformerEncoder(nn.Module):
    """A small Conformer encoder (input projection + blocks), padding-aware.

    Positional information comes from the convolution modules only (no relative positional
    encoding), a simplification stated in the README.

    Args:
        in_channels (int): Feature size per frame.
        out_channels (int): Model width.
        num_layers (int): Conformer blocks. Defaults to 4.
        num_heads (int): Attention heads. Defaults to 4.
        kernel_size (int): Depthwise convolution kernel. Defaults to 15.
        dropout (float): Dropout. Defaults to 0.1.
    """

    def __init__(self, in_channels: int, out_channels: int, num_layers: int = 4,
                 num_heads: int = 4, kernel_size: int = 15, dropout: float = 0.1) -> None:
        super().__init__()
        self.inp = nn.Linear(in_channels, out_channels)
        self.blocks = nn.ModuleList(_ConformerBlock(out_channels, num_heads, kernel_size, dropout)
                                    for _ in range(num_layers))
        self.out_channels = out_channels

    def forward(self, feats: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        pad = torch.arange(feats.shape[1], device=feats.device)[None] >= lengths[:, None]
        x = self.inp(feats)
        for block in self.blocks:
            x = block(x, pad)
        return x


@MODELS.register_module()
class PredictionNetwork(nn.Module):
    """Label-context network: embedding + LSTM over ``[start] + y_{<u}``.

    Args:
        num_labels (int): V; id V is the start symbol.
        embed_channels (int): Embedding size.
        hidden_channels (int): LSTM size (the output size).
        num_layers (int): LSTM layers. Defaults to 1.
    """

    def __init__(self, num_labels: int, embed_channels: int, hidden_channels: int,
                 num_layers: int = 1) -> None:
        super().__init__()
        self.start = num_labels
        self.embed = nn.Embedding(num_labels + 1, embed_channels)
        self.lstm = nn.LSTM(embed_channels, hidden_channels, num_layers, batch_first=True)
        self.out_channels = hidden_channels

    def forward(self, targets: torch.Tensor) -> torch.Tensor:
        """``targets`` [B, U] (padding anything in range) -> outputs [B, U + 1, P]."""
        start = targets.new_full((targets.shape[0], 1), self.start)
        out, _ = self.lstm(self.embed(torch.cat([start, targets], 1)))
        return out

    def initial(self, n: int, device) -> tuple[torch.Tensor, tuple]:
        """Output and state after the start symbol for ``n`` hypotheses."""
        tokens = torch.full((n,), self.start, dtype=torch.long, device=device)
        return self.step(tokens, None)

    def step(self, tokens: torch.Tensor, state) -> tuple[torch.Tensor, tuple]:
        """One label per hypothesis: ``tokens`` [N] -> (output [N, P], new state)."""
        out, state = self.lstm(self.embed(tokens)[:, None], state)
        return out[:, 0], state


@MODELS.register_module()
class HATJoint(nn.Module):
    """HAT joint network with the factorised output and the internal LM.

    Args:
        enc_channels (int): Encoder output size.
        pred_channels (int): Prediction network output size.
        joint_channels (int): Joint hidden size H.
        num_labels (int): V (non-blank labels).
    """

    def __init__(self, enc_channels: int, pred_channels: int, joint_channels: int,
                 num_labels: int) -> None:
        super().__init__()
        self.enc_proj = nn.Linear(enc_channels, joint_channels)
        self.pred_proj = nn.Linear(pred_channels, joint_channels)
        self.blank_head = nn.Linear(joint_channels, 1)
        self.label_head = nn.Linear(joint_channels, num_labels)

    def _outputs(self, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = torch.tanh(hidden)
        blank_logit = self.blank_head(hidden)[..., 0]
        # log(1 - sigmoid(x)) = logsigmoid(-x): exact, no clamping needed.
        label_logp = functional.logsigmoid(-blank_logit)[..., None] + \
            functional.log_softmax(self.label_head(hidden), dim=-1)
        return label_logp, functional.logsigmoid(blank_logit)

    def forward(self, enc: torch.Tensor, pred: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """Lattice log-probs.

        Args:
            enc (Tensor): [B, T, E] encoder outputs.
            pred (Tensor): [B, U + 1, P] prediction network outputs.

        Returns:
            tuple: label log-probs [B, T, U + 1, V] and blank log-probs [B, T, U + 1];
            ``exp`` of the labels plus ``exp`` of the blank sums to 1 at every node.
        """
        hidden = self.enc_proj(enc)[:, :, None] + self.pred_proj(pred)[:, None]
        return self._outputs(hidden)

    def step(self, enc: torch.Tensor, pred: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One node per row: ``enc`` [..., E], ``pred`` [..., P] -> ([..., V], [...])."""
        return self._outputs(self.enc_proj(enc) + self.pred_proj(pred))

    def ilm_logprobs(self, pred: torch.Tensor) -> torch.Tensor:
        """Internal-LM label log-probs [..., V] from prediction outputs [..., P]."""
        return functional.log_softmax(self.label_head(torch.tanh(self.pred_proj(pred))), dim=-1)
