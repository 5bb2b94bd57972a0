"""The attention network (AN) that scores a layer's filters from their weights, and its
leaky-exponential activation (paper, Sec. 2.2-2.3)."""
from __future__ import annotations

import math

import torch
from mmengine.model import BaseModule
from torch import nn

ATTENTION_TYPES = ('dot', 'additive')


def leaky_exponential(x: torch.Tensor, leak: float = 0.01) -> torch.Tensor:
    """The leaky-exponential score activation (paper §2.3, Fig. 3).

    ``exp(x)`` for ``x <= 0`` and ``1 + leak * x`` above. The paper requires scores that are
    positive, equal 1 at the start of training (``x = 0``: a dense network) and have a non-zero
    gradient everywhere, so that a score never gets stuck the way a saturated sigmoid does.
    The formula is UNCONFIRMED (see README, 'Choices for what the paper leaves open', row 2);
    this reading follows those three requirements: the exponential branch covers (0, 1], and
    the small linear leak keeps a gradient for ``x > 0`` at the price of scores up to slightly
    above 1 there (the regulariser pushes them back).

    Args:
        x (torch.Tensor): Pre-activations, any shape.
        leak (float): Slope for ``x > 0``. Defaults to 0.01.

    Returns:
        torch.Tensor: Scores of the same shape.
    """
    # The clamp keeps the unused exp branch finite for large x, so its gradient is never NaN.
    return torch.where(x <= 0, torch.exp(x.clamp(max=0)), 1 + leak * x)


class LeakyExponential(nn.Module):
    """Module form of :func:`leaky_exponential`.

    Args:
        leak (float): Slope for positive inputs. Defaults to 0.01.
    """

    def __init__(self, leak: float = 0.01) -> None:
        super().__init__()
        if leak <= 0:
            raise ValueError(f'`leak` must be positive (a non-zero gradient), got {leak}.')
        self.leak = leak

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Applies the activation element-wise."""
        return leaky_exponential(x, self.leak)

    def extra_repr(self) -> str:
        return f'leak={self.leak}'


class AttentionNetwork(BaseModule):
    """The attention network (AN) of one prunable layer: filter weights in, one score each.

    The layer's F filters, each flattened to a vector of ``in_features`` values, form a set;
    attention across that set lets each filter's score depend on the other filters of the
    layer (the correlations SbF-Pruner/PAAM is built on, paper, abstract and Sec. 2.2-2.3), and
    the scores go through the :class:`LeakyExponential`. The layout is UNCONFIRMED (see
    README, 'Choices for what the paper leaves open', row 1); two readings are offered
    (``'additive'`` is the default: the one the paper's §2.3 names, and the better of the two
    on the validation split of the tiny data):

    - ``'dot'``: e_i = W_e f_i; scaled dot-product self-attention across the filters,
      h_i = e_i + Σ_j softmax_j(q_i·k_j / √d) v_j; score s_i = σ(w·tanh(h_i) + b).
    - ``'additive'`` (the "additive attention" the paper's §2.3 refers to): a context
      c = mean_j e_j of all filters, s_i = σ(w·tanh(W_q e_i + W_k c) + b).

    where σ is the leaky exponential. The output layer starts with zero bias and small weights,
    so every score starts at ≈ 1 (a dense network, paper, Sec. 2.3) while gradients still
    reach every parameter of the AN.

    Args:
        in_features (int): Length of one flattened filter (``C_in * k * k``, summed over the
            convolutions of a residual group).
        embed_dims (int): Width d of the embeddings. Defaults to 32.
        attention (str): ``'additive'`` or ``'dot'``. Defaults to ``'additive'``.
        leak (float): Slope of the leaky exponential for positive inputs. Defaults to 0.01.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 in_features: int,
                 embed_dims: int = 32,
                 attention: str = 'additive',
                 leak: float = 0.01,
                 init_cfg: dict | None = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if attention not in ATTENTION_TYPES:
            raise ValueError(f'`attention` must be one of {ATTENTION_TYPES}, got {attention!r}.')
        self.in_features = in_features
        self.attention = attention
        # Filters are initialised with std ~ 1/sqrt(fan_in); rescaling by sqrt(in_features)
        # gives the AN inputs of order one in every layer, whatever its fan-in.
        self.input_scale = math.sqrt(in_features)
        self.embed = nn.Linear(in_features, embed_dims)
        self.query = nn.Linear(embed_dims, embed_dims)
        self.key = nn.Linear(embed_dims, embed_dims)
        if attention == 'dot':
            self.value = nn.Linear(embed_dims, embed_dims)
        self.score = nn.Linear(embed_dims, 1)
        self.activation = LeakyExponential(leak)
        nn.init.normal_(self.score.weight, std=0.01)
        nn.init.zeros_(self.score.bias)

    def forward(self, filters: torch.Tensor) -> torch.Tensor:
        """Scores a layer's filters.

        Args:
            filters (torch.Tensor): (F, in_features), one flattened filter per row.

        Returns:
            torch.Tensor: (F,) scores in (0, 1] (slightly above 1 only if pushed there).
        """
        e = self.embed(filters * self.input_scale)
        if self.attention == 'dot':
            weights = torch.softmax(self.query(e) @ self.key(e).t() / math.sqrt(e.shape[1]), dim=1)
            hidden = e + weights @ self.value(e)
        else:
            hidden = self.query(e) + self.key(e.mean(0, keepdim=True))
        return self.activation(self.score(torch.tanh(hidden)).squeeze(1))
