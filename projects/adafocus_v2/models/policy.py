"""The policy network π of AdaFocusV2 (official code: models/adafocus_v2.py, `PolicySTN`)."""
from __future__ import annotations

from collections.abc import Sequence

from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn


@MODELS.register_module()
class PolicyNetwork(BaseModule):
    """The policy network π: where to look, from the global encoder's feature maps.

    π reads f_G's feature maps (detached by the recognizer: the stop-gradient of paper §3.3)
    and outputs an action a ∈ [0, 1]² that places the patch (see :func:`crop_patches`):

    - 1x1 conv to ``reduced_channels`` (no bias), BN, Tanh; flatten;
    - for each width in ``hidden_dims``: Linear, BN1d, Tanh;
    - ``recurrent=True`` (ActivityNet / FCVID / Mini-Kinetics, as `PolicySTN`): a GRU over the
      frames (zero initial state), so the action of frame t depends on frames 1..t;
    - Linear to 2, Sigmoid.

    ``per_clip=True`` is the Something-Something / Jester variant (official code, Sth-Sth
    folder: main.py, `AdaFocus.policy_stn`): the maps of all T frames are concatenated along
    channels and π outputs one action per video, shared by every frame of the local encoder.

    Args:
        in_channels (int): Channels C of one frame's feature map.
        spatial_size (int | Sequence[int]): Side (h, w) of the feature map.
        num_frames (int): Frames T of the global encoder per video. Defaults to 16.
        reduced_channels (int): Output channels of the 1x1 conv. Defaults to 64.
        hidden_dims (Sequence[int]): Widths of the hidden layers. Defaults to (2048,).
        recurrent (bool): Whether a GRU (width ``hidden_dims[-1]``) runs over the frames.
            Defaults to True.
        per_clip (bool): One action per video from all frames' maps. Defaults to False.
        init_cfg (dict | list[dict] | None): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 spatial_size: int | Sequence[int],
                 num_frames: int = 16,
                 reduced_channels: int = 64,
                 hidden_dims: Sequence[int] = (2048,),
                 recurrent: bool = True,
                 per_clip: bool = False,
                 init_cfg: dict | list[dict] | None = None) -> None:
        super().__init__(init_cfg)
        if recurrent and per_clip:
            raise ValueError('PolicyNetwork: recurrent=True and per_clip=True exclude each other '
                             '(a per-clip policy sees all frames at once).')
        h, w = (spatial_size, spatial_size) if isinstance(spatial_size, int) else spatial_size
        self.in_channels = in_channels
        self.spatial_size = (h, w)
        self.num_frames = num_frames
        self.per_clip = per_clip
        conv_in = in_channels * num_frames if per_clip else in_channels
        self.reduce = nn.Sequential(
            nn.Conv2d(conv_in, reduced_channels, 1, bias=False),
            nn.BatchNorm2d(reduced_channels), nn.Tanh(), nn.Flatten())
        layers, width = [], reduced_channels * h * w
        for dim in hidden_dims:
            layers += [nn.Linear(width, dim), nn.BatchNorm1d(dim), nn.Tanh()]
            width = dim
        self.mlp = nn.Sequential(*layers)
        self.gru = nn.GRU(width, width, batch_first=True) if recurrent else None
        self.head = nn.Sequential(nn.Linear(width, 2), nn.Sigmoid())

    def forward(self, feats: Tensor) -> Tensor:
        """Computes the actions.

        Args:
            feats (Tensor): Feature maps (B, T, C, h, w) of the global encoder.

        Returns:
            Tensor: Actions (B, T, 2), or (B, 1, 2) when ``per_clip``, as (a_x, a_y) in [0, 1].
        """
        b, t, c, h, w = feats.shape
        if (t, c, (h, w)) != (self.num_frames, self.in_channels, self.spatial_size):
            raise ValueError(
                f'PolicyNetwork expects feature maps of {self.num_frames} frames x '
                f'{self.in_channels} x {self.spatial_size}, got {t} x {c} x {(h, w)}; set '
                'num_frames, in_channels and spatial_size to match the global encoder.')
        x = feats.reshape(b, t * c, h, w) if self.per_clip else feats.reshape(b * t, c, h, w)
        x = self.mlp(self.reduce(x))
        x = x.view(b, 1 if self.per_clip else t, -1)
        if self.gru is not None:
            x, _ = self.gru(x)
        return self.head(x)

    def step(self, feats: Tensor, state: Tensor | None) -> tuple[Tensor, Tensor | None]:
        """One frame of a per-frame policy, for frame-by-frame (early-exit) inference.

        Args:
            feats (Tensor): Feature maps (B, C, h, w) of the current frame.
            state (Tensor | None): The GRU state (1, B, H) after the previous frame, or None
                at the first frame (zeros, as :meth:`forward`).

        Returns:
            tuple[Tensor, Tensor | None]: Actions (B, 2) and the new GRU state.
        """
        if self.per_clip:
            raise ValueError('A per-clip policy sees all frames at once: it has no step.')
        x = self.mlp(self.reduce(feats))
        if self.gru is not None:
            out, state = self.gru(x[:, None], state)
            x = out[:, 0]
        return self.head(x), state
