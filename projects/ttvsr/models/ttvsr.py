"""The TTVSR editor: mmagic's BasicVSR training loop plus TTVSR's test-time behaviour.

Official code: the ``TTVSR`` restorer, ``mmedit/models/restorers/ttvsr.py`` in researchmm/TTVSR.
"""
from __future__ import annotations

import torch
from mmagic.models.editors.basicvsr import BasicVSR
from mmagic.registry import MODELS
from mmagic.structures import DataSample

from .reconstruction import SCALE


def mirror_twice(clip: torch.Tensor) -> torch.Tensor:
    """[c, reversed c, c, reversed c] along time: the 4t-frame input of the Vimeo-90K-T test."""
    once = torch.cat([clip, clip.flip(1)], dim=1)
    return torch.cat([once, once.flip(1)], dim=1)


def centre_frame_copies(num_frames: int) -> list[int]:
    """Where the centre frame of a t-frame clip sits in :func:`mirror_twice` of it.

    For the 7 Vimeo frames these are 3, 10, 17 and 24, i.e. the official code's t//8,
    t//8 + 7, -1 - t//8 - 7 and -1 - t//8 for the 28-frame input (``TTVSR.forward_test``).
    """
    centre = num_frames // 2
    return [centre, 2 * num_frames - 1 - centre, 2 * num_frames + centre,
            4 * num_frames - 1 - centre]


@MODELS.register_module()
class TTVSR(BasicVSR):
    """TTVSR editor: mmagic's ``BasicVSR`` with the official restorer's test-time rules.

    Training is BasicVSR's (SPyNet, i.e. parameters named ``spynet``, frozen for
    ``train_cfg['fix_iter']`` iterations, pixel loss on every frame), with a clear error when
    GT frames are not x4 the LR frames. Testing differs only on Vimeo-90K-T when
    ``vimeo_centre_average`` is set and the GT is the centre frame alone: the official code
    mirrors the 7 LR frames twice (28 frames), runs the network once and averages the 4
    predictions of the centre frame (official ``TTVSR.forward_test``), where BasicVSR mirrors
    once and averages 2. An input that the pipeline already mirrored once (mmagic's Vimeo-90K-T
    test config has ``MirrorSequence``) is cut back to its first half first.

    Args:
        generator (dict): Config of the network (``TTVSRNet``).
        pixel_loss (dict): Config of the pixel loss (``CharbonnierLoss`` in the paper).
        ensemble (dict, optional): As in ``BasicVSR``. Default: None.
        train_cfg (dict, optional): ``fix_iter`` as in ``BasicVSR``. Default: None.
        test_cfg (dict, optional): As in ``BasicVSR``. Default: None.
        init_cfg (dict, optional): mmengine initialisation config. Default: None.
        data_preprocessor (dict, optional): As in ``BasicVSR``. Default: None.
        vimeo_centre_average (bool): Average the 4 centre-frame predictions of the twice
            mirrored clip when the GT is one frame (Vimeo-90K-T). Default: False.
    """

    def __init__(self, generator: dict, pixel_loss: dict, ensemble: dict | None = None,
                 train_cfg: dict | None = None, test_cfg: dict | None = None,
                 init_cfg: dict | None = None, data_preprocessor: dict | None = None,
                 vimeo_centre_average: bool = False) -> None:
        super().__init__(generator=generator, pixel_loss=pixel_loss, ensemble=ensemble,
                         train_cfg=train_cfg, test_cfg=test_cfg, init_cfg=init_cfg,
                         data_preprocessor=data_preprocessor)
        self.vimeo_centre_average = vimeo_centre_average

    def forward_train(self, inputs: torch.Tensor, data_samples: DataSample | None = None,
                      **kwargs) -> dict[str, torch.Tensor]:
        """BasicVSR's training step after checking that the GT is x4 the input."""
        gt_size = tuple(data_samples.gt_img.shape[-2:])
        expected = tuple(SCALE * s for s in inputs.shape[-2:])
        if gt_size != expected:
            raise ValueError(f'TTVSR supports x{SCALE} only: LR frames of '
                             f'{tuple(inputs.shape[-2:])} need GT frames of {expected}, got '
                             f'{gt_size}; check scale and gt_patch_size in the dataset '
                             'pipeline (PairedRandomCrop)')
        return super().forward_train(inputs, data_samples, **kwargs)

    def forward_inference(self, inputs: torch.Tensor, data_samples: DataSample | None = None,
                          **kwargs) -> DataSample:
        """Predictions for validation and testing (official ``TTVSR.forward_test``).

        Returns:
            DataSample: ``pred_img`` (n, t, 3, H, W), or (n, 3, H, W) when the GT is the
            centre frame.
        """
        gt = data_samples.gt_img[0] if data_samples is not None else None
        if not (self.vimeo_centre_average and gt is not None and gt.data.ndim == 3):
            return super().forward_inference(inputs, data_samples, **kwargs)
        clip = inputs
        if self.check_if_mirror_extended(inputs):
            clip = inputs[:, :inputs.size(1) // 2]
        feats = self.forward_tensor(mirror_twice(clip), data_samples, **kwargs)
        feats = self.data_preprocessor.destruct(feats, data_samples)
        feats = feats[:, centre_frame_copies(clip.size(1))].mean(dim=1)
        return DataSample(pred_img=feats.cpu(), metainfo=data_samples.metainfo)
