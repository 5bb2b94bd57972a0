"""MVFNet's backbone: mmaction2's ResNet with MVF modules on the residual branches."""
from __future__ import annotations

from collections.abc import Sequence

from mmaction.models.backbones import ResNetTSM
from mmaction.registry import MODELS

from .mvf import MVF


@MODELS.register_module()
class ResNetMVF(ResNetTSM):
    """ResNet with Multi-View Fusion modules (MVFNet, Wu et al., AAAI 2021).

    Every residual block of the stages that ``mvf_freq`` marks gets an :class:`MVF` module in
    front of its first convolution (``block.conv1.conv``, inside the residual branch, so the
    identity path is untouched), exactly where TSM's "blockres" shift sits. As the official
    ``make_multi_view_fusion`` (``codes/models/modules/MVF.py``): every block of a marked stage,
    R101 included (its ``n_round`` stays 1), and all stages see ``num_segments`` frames.

    Built on :class:`mmaction.models.ResNetTSM` with its shift turned off, for its
    ``num_segments`` handling and its loading of torchvision ImageNet weights into wrapped
    convolutions (``pretrained='torchvision://resnet50'``); the MVF parameters keep their own
    initialisation (:meth:`MVF.reset_parameters`).

    Args:
        depth (int): ResNet depth, one of {18, 34, 50, 101, 152}.
        num_segments (int): Frames per clip (the clip length T of dense sampling). Defaults
            to 8.
        mvf_freq (Sequence[int]): Per stage (res2..res5), 1 to insert MVF in every block.
            Defaults to (0, 0, 1, 1), the released Kinetics-400 models.
        alpha (float): Fraction of a block's input channels that MVF fuses. Defaults to
            0.125.
        mode (str): MVF views, ``'THW'``, ``'TH'`` or ``'T'``. Defaults to ``'THW'``.
        share (bool): MVF weight sharing across views. Defaults to False.
        use_hs (bool): BatchNorm3d + h-swish after the fusion. Defaults to True.
        fixed_shift (bool): Freeze the temporal kernels to TSM's shift. Defaults to False.
        pretrained (str, optional): ImageNet weights, e.g. ``'torchvision://resnet50'``
            (torchvision key names), or an mmaction2 checkpoint with
            ``torchvision_pretrain=False``. Defaults to None.
        torchvision_pretrain (bool): Whether ``pretrained`` has torchvision key names.
            Defaults to True.
        **kwargs: Other arguments of :class:`mmaction.models.ResNet` (``norm_eval``,
            ``out_indices``, ``frozen_stages``, ``init_cfg``...).
    """

    def __init__(self,
                 depth: int,
                 num_segments: int = 8,
                 mvf_freq: Sequence[int] = (0, 0, 1, 1),
                 alpha: float = 0.125,
                 mode: str = 'THW',
                 share: bool = False,
                 use_hs: bool = True,
                 fixed_shift: bool = False,
                 pretrained: str | None = None,
                 torchvision_pretrain: bool = True,
                 **kwargs) -> None:
        tsm_only = sorted(set(kwargs) & {'is_shift', 'shift_div', 'shift_place',
                                         'temporal_pool', 'non_local', 'non_local_cfg',
                                         'pretrained2d'})
        if tsm_only:
            raise TypeError(f'ResNetMVF does not take the ResNetTSM arguments {tsm_only}; '
                            '`pretrained` with `torchvision_pretrain` selects the loader.')
        super().__init__(
            depth,
            num_segments=num_segments,
            is_shift=False,
            pretrained=pretrained,
            torchvision_pretrain=torchvision_pretrain,
            pretrained2d=pretrained is not None and torchvision_pretrain,
            **kwargs)
        if len(mvf_freq) != self.num_stages:
            raise ValueError(f'mvf_freq={tuple(mvf_freq)} needs one entry per stage '
                             f'({self.num_stages}).')
        self.mvf_freq = tuple(mvf_freq)
        mvf_args = dict(alpha=alpha, mode=mode, share=share, use_hs=use_hs,
                        fixed_shift=fixed_shift)
        for stage, layer_name in enumerate(self.res_layers):
            if not self.mvf_freq[stage]:
                continue
            for block in getattr(self, layer_name):
                conv = block.conv1.conv
                block.conv1.conv = MVF(conv, num_segments, conv.in_channels, **mvf_args)
