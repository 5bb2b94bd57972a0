"""TTVSRNet: the trajectory-aware transformer for x4 video super-resolution.

Paper: Liu et al., "Learning Trajectory-Aware Transformer for Video Super-Resolution",
CVPR 2022 (arXiv 2204.04216). Official code: researchmm/TTVSR,
``mmedit/models/backbones/sr_backbones/ttvsrnet.py`` (``TTVSRNet``, ``LTAM``), which
the architecture here follows (unconfirmed against the paper's method section; see README,
'Differences from the paper'). Reused from mmagic: SPyNet, ``flow_warp`` and the residual
blocks; new here: keyframe trajectories (location maps), cross-scale value tokens and ``LTAM``.
"""
from __future__ import annotations

import torch
from mmagic.models.editors.basicvsr.basicvsr_net import ResidualBlocksWithInputConv, SPyNet
from mmagic.models.utils import flow_warp
from mmagic.registry import MODELS
from torch.nn import functional

from .basicvsr_flow import check_flow_args
from .ltam import LTAM
from .reconstruction import PixelShuffleReconstruction, check_lr_sequence


def keyframe_indices(num_frames: int, frame_stride: int = 3) -> tuple[list[int], list[int]]:
    """Keyframes of the forward and backward passes (official ``TTVSRNet.forward``).

    Forward: 0, s, 2s, ...; backward: t-1, t-1-s, ... down to but excluding frame 0.

    Args:
        num_frames (int): Sequence length t.
        frame_stride (int): Keyframe interval s. Default: 3.

    Returns:
        tuple[list[int], list[int]]: forward and backward keyframe indices, in pass order.
    """
    return (list(range(0, num_frames, frame_stride)),
            list(range(num_frames - 1, 0, -frame_stride)))


def token_grid(n: int, grid_h: int, grid_w: int, like: torch.Tensor) -> torch.Tensor:
    """An identity location map for one new trajectory per cell: (n, 1, 2, H, W) of (x, y)."""
    y, x = torch.meshgrid(torch.arange(grid_h, dtype=like.dtype, device=like.device),
                          torch.arange(grid_w, dtype=like.dtype, device=like.device),
                          indexing='ij')
    return torch.stack([x, y]).expand(n, 1, 2, grid_h, grid_w)


def update_locations(locations: torch.Tensor, flow: torch.Tensor, stride: int) -> torch.Tensor:
    """Carry the location map from the previous frame to the current one.

    As in the official ``TTVSRNet.forward`` ("update the location map").

    The LR flow from the current frame to the previous one is average-pooled to the token grid
    and divided by ``stride`` (token units); the map is backward-warped with it (nearest,
    border padding). Each cell of the current frame then holds the cell its trajectory
    occupies in every earlier keyframe: frame-to-frame flows are composed along the path
    instead of estimating long-range flow. Nearest sampling keeps whole cells.

    Args:
        locations (Tensor): (n, T, 2, H, W) location map of the previous frame.
        flow (Tensor): (n, 2, h, w) LR flow, current -> previous frame, in pixels (dx, dy).
        stride (int): Token size (h = H * stride).

    Returns:
        Tensor: (n, T, 2, H, W) location map of the current frame.
    """
    n, num_frames, _, grid_h, grid_w = locations.shape
    # Adaptive pooling to the token grid, as the official code: on frames that are not a
    # multiple of ``stride`` its windows cover the whole frame (plain pooling would drop the
    # last rows and columns); on multiples of ``stride`` both are the same.
    token_flow = functional.adaptive_avg_pool2d(flow.detach(), (grid_h, grid_w)) / stride
    warped = flow_warp(locations.reshape(n, num_frames * 2, grid_h, grid_w),
                       token_flow.permute(0, 2, 3, 1), interpolation='nearest',
                       padding_mode='border')
    return warped.view_as(locations)


@MODELS.register_module()
class TTVSRNet(PixelShuffleReconstruction):
    """Trajectory-aware transformer network for x4 video super-resolution (official ``TTVSRNet``).

    SPyNet flow between neighbours (with BasicVSR's mirror trick), a shallow extractor
    giving F_i, then a backward pass (t-1 ... 0) and a forward pass (0 ... t-1) that
    share one trunk and one ``LTAM``. At every step after the first, the previous hidden
    state is flow-warped to the frame (the anchor), the location map is carried along,
    ``LTAM`` attends over the keyframes stored so far along each token's trajectory,
    and the trunk ``resblocks`` maps [F_i, A_i] to the new hidden state. Keyframes (every
    ``frame_stride`` frames) store their key and cross-scale value tokens and start a
    new trajectory per cell. Frames are reconstructed from [backward state, F_i, forward
    state]. All of it as in the official ``TTVSRNet.forward``. Only x4; the paper-size network
    has 6,773,615 parameters (counted from the official layer shapes; the paper says 6.8M).

    Args:
        mid_channels (int): Feature channels. Default: 64.
        num_blocks (int): Residual blocks of the shared trunk. Default: 60.
        num_extract_blocks (int): Residual blocks of the shallow extractor. Default: 5.
        stride (int): Token size, a multiple of 4. Tokens cover the top-left
            ⌊h/stride⌋·stride x ⌊w/stride⌋·stride region; elsewhere the attention output is
            the warped previous state alone, as in the official code. Default: 4.
        frame_stride (int): Keyframe interval. Default: 3.
        spynet_pretrained (str, optional): Path of a plain SPyNet state dict, loaded into
            mmagic's SPyNet as BasicVSRNet does. Default: None.
        flow_estimator (dict, optional): Config of a module with SPyNet's ``forward(ref,
            supp)`` that replaces SPyNet (e.g. ``dict(type='DISFlow')``, the tiny configs'
            stand-in for the pre-trained SPyNet). Default: None (mmagic's SPyNet).
        channels_last (bool): Keep the convolution weights channels-last, so that PyTorch
            picks its channels-last kernels: 1.10x faster on CPU at paper size with outputs
            within 4e-7 of the default layout (``tools/speed.py --knobs``). Default: True.
        init_cfg (dict, optional): mmengine initialisation config. Default: None.
    """

    def __init__(self, mid_channels: int = 64, num_blocks: int = 60,
                 num_extract_blocks: int = 5, stride: int = 4, frame_stride: int = 3,
                 spynet_pretrained: str | None = None, flow_estimator: dict | None = None,
                 channels_last: bool = True, init_cfg: dict | None = None) -> None:
        check_flow_args(type(self).__name__, spynet_pretrained, flow_estimator)
        super().__init__(init_cfg=init_cfg)
        if frame_stride < 1:
            raise ValueError(f'TTVSRNet: frame_stride (the keyframe interval) must be >= 1, '
                             f'got {frame_stride}')
        self.mid_channels = mid_channels
        self.stride = stride
        self.frame_stride = frame_stride
        # The flow network keeps SPyNet's name whatever it is: the editor freezes it by name.
        self.spynet = (MODELS.build(flow_estimator) if flow_estimator is not None
                       else SPyNet(pretrained=spynet_pretrained))
        self.feat_extractor = ResidualBlocksWithInputConv(3, mid_channels, num_extract_blocks)
        self.LTAM = LTAM(mid_channels, stride)
        self.resblocks = ResidualBlocksWithInputConv(2 * mid_channels, mid_channels, num_blocks)
        self.build_reconstruction(3 * mid_channels, mid_channels)
        if channels_last:
            # Loading a state dict copies into these tensors and keeps their layout.
            self.to(memory_format=torch.channels_last)

    @staticmethod
    def is_mirror_extended(lrs: torch.Tensor) -> bool:
        """Whether the second half of the clip is the first half reversed.

        As the official ``TTVSRNet.check_if_mirror_extended``.
        """
        if lrs.size(1) % 2:
            return False
        first, second = torch.chunk(lrs, 2, dim=1)
        return bool(torch.equal(first, second.flip(1)))

    def compute_flow(self, lrs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """SPyNet flows between neighbours (official ``TTVSRNet.compute_flow``).

        Args:
            lrs (Tensor): (n, t, 3, h, w) LR frames.

        Returns:
            tuple[Tensor, Tensor]: ``to_previous`` (n, t-1, 2, h, w), entry i-1 the flow from
            frame i to frame i-1 (forward pass), and ``to_next``, entry i the flow from frame i
            to frame i+1 (backward pass). For a mirror-extended clip ``to_previous`` is
            ``to_next`` reversed in time, and SPyNet runs once.
        """
        n, t, c, h, w = lrs.shape
        earlier = lrs[:, :-1].reshape(-1, c, h, w)
        later = lrs[:, 1:].reshape(-1, c, h, w)
        to_next = self.spynet(earlier, later).view(n, t - 1, 2, h, w)
        if self.is_mirror_extended(lrs):
            return to_next.flip(1), to_next
        return self.spynet(later, earlier).view(n, t - 1, 2, h, w), to_next

    def propagate(self, feats: list[torch.Tensor], frames: list[int], flows: torch.Tensor,
                  keyframes: list[int]) -> list[torch.Tensor]:
        """One recurrent pass with trajectory-aware attention (a loop of the official
        ``TTVSRNet.forward``).

        Args:
            feats (list[Tensor]): the t shallow features F_i, each (n, c, h, w).
            frames (list[int]): frame indices in pass order.
            flows (Tensor): (n, t-1, 2, h, w); entry k-1 is the flow from ``frames[k]`` to
                ``frames[k-1]``.
            keyframes (list[int]): keyframe indices of this pass.

        Returns:
            list[Tensor]: the hidden state of every frame, in frame order (not pass order).
        """
        t = len(feats)
        n, c, h, w = feats[0].shape
        grid_h, grid_w = h // self.stride, w // self.stride
        new_trajectories = token_grid(n, grid_h, grid_w, feats[0])
        locations = new_trajectories
        state = feats[0].new_zeros(n, c, h, w)
        keys = values = None
        states = [None] * t
        keyframes = set(keyframes)
        for step, i in enumerate(frames):
            feat = feats[i]
            if step > 0:
                flow = flows[:, step - 1]
                anchor = flow_warp(state, flow.permute(0, 2, 3, 1), padding_mode='border')
                locations = update_locations(locations, flow, self.stride)
                state = self.LTAM(feat, keys, values, locations, anchor)
                if i in keyframes:
                    locations = torch.cat([locations, new_trajectories], dim=1)
            state = self.resblocks(torch.cat([feat, state], dim=1))
            if i in keyframes:
                # The memory grows only at keyframes, so one cat here rather than a stack of
                # all keyframes at every step.
                new_keys = self.LTAM.key_tokens(feat)[:, None]
                new_values = self.LTAM.value_tokens(state)[:, None]
                keys = new_keys if keys is None else torch.cat([keys, new_keys], dim=1)
                values = new_values if values is None else torch.cat([values, new_values], 1)
            states[i] = state
        return states

    def forward(self, lrs: torch.Tensor) -> torch.Tensor:
        """Super-resolve a clip x4.

        Args:
            lrs (Tensor): (n, t, 3, h, w) LR frames in [0, 1]; t >= 2, any h, w >= ``stride``
                (as the official code; e.g. UDM10's 180x318 BD frames). Frames smaller than
                64x64 work (the official code asserts >= 64): mmagic's SPyNet resizes its
                input up to multiples of 32 itself.

        Returns:
            Tensor: (n, t, 3, 4h, 4w) HR frames.
        """
        n, t, c, h, w = check_lr_sequence(lrs, type(self).__name__, min_frames=2,
                                          min_size=self.stride)
        to_previous, to_next = self.compute_flow(lrs)
        # A list, not indexing a (n, t, c, h, w) tensor: the backward of every index would
        # write a zero-filled tensor of the whole clip.
        feats = list(self.feat_extractor(lrs.reshape(-1, c, h, w)).view(n, t, -1, h, w)
                     .unbind(1))
        forward_keys, backward_keys = keyframe_indices(t, self.frame_stride)
        backward = self.propagate(feats, list(range(t - 1, -1, -1)), to_next.flip(1),
                                  backward_keys)
        forward = self.propagate(feats, list(range(t)), to_previous, forward_keys)
        outputs = [self.reconstruct(torch.cat([backward[i], feats[i], forward[i]], dim=1),
                                    lrs[:, i]) for i in range(t)]
        return torch.stack(outputs, dim=1)
