"""The learnable fusion-weight module of the rescoring setup (arXiv 2204.07553, abstract;
US 2023/0298570 A1 claim 1): per hypothesis token, weights ``(lambda_u, beta_u) >= 0`` computed
from the encoder features and the hypothesis."""
from __future__ import annotations

import math

import torch
from torch import nn

from ..registry import MODELS


@MODELS.register_module()
class FusionWeightModule(nn.Module):
    """Per-token fusion weights from pooled encoder features and the hypothesis.

    Inputs per token ``u``: the mean of the utterance's encoder frames (projected), the
    embedding of ``y_u`` and of ``y_{u-1}``, and the two scores the weights multiply
    (``log P_LM(y_u)``, ``log P_ILM(y_u)``), so that the module can learn when to trust the LM.
    A two-layer MLP then a softplus keeps both weights non-negative; the output bias starts
    at ``init_lm_weight`` / ``init_ilm_weight``.

    Args:
        enc_channels (int): Encoder output size.
        num_labels (int): V.
        hidden_channels (int): Defaults to 32.
        init_lm_weight (float): Defaults to 0.3.
        init_ilm_weight (float): Defaults to 0.1.
    """

    def __init__(self, enc_channels: int, num_labels: int, hidden_channels: int = 32,
                 init_lm_weight: float = 0.3, init_ilm_weight: float = 0.1) -> None:
        super().__init__()
        self.enc_proj = nn.Linear(enc_channels, hidden_channels)
        self.embed = nn.Embedding(num_labels + 1, hidden_channels)
        self.mlp = nn.Sequential(nn.Linear(3 * hidden_channels + 2, hidden_channels), nn.Tanh(),
                                 nn.Linear(hidden_channels, 2))
        self.start = num_labels
        with torch.no_grad():
            self.mlp[2].weight.mul_(0.1)
            self.mlp[2].bias.copy_(torch.tensor([
                math.log(math.expm1(init_lm_weight)), math.log(math.expm1(init_ilm_weight))]))

    def forward(self, enc_pooled: torch.Tensor, tokens: torch.Tensor, lm_logp: torch.Tensor,
                ilm_logp: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Weights [N, U] each.

        Args:
            enc_pooled (Tensor): [N, E] mean encoder output of each hypothesis' utterance.
            tokens (Tensor): [N, U] hypothesis labels (any id at padding).
            lm_logp (Tensor): [N, U] external-LM log-probs per token.
            ilm_logp (Tensor): [N, U] internal-LM log-probs per token.
        """
        prev = torch.cat([tokens.new_full((len(tokens), 1), self.start), tokens[:, :-1]], 1)
        u = tokens.shape[1]
        x = torch.cat([self.enc_proj(enc_pooled)[:, None].expand(-1, u, -1), self.embed(tokens),
                       self.embed(prev), lm_logp[..., None], ilm_logp[..., None]], -1)
        w = nn.functional.softplus(self.mlp(x))
        return w[..., 0], w[..., 1]
