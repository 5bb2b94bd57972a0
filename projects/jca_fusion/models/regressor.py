"""The audio-visual valence/arousal regressor that hosts the fusion modules."""
from __future__ import annotations

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseModel, ModuleDict
from mmengine.structures import BaseDataElement
from torch import nn

from ..evaluation import IGNORE


@MODELS.register_module()
class AVEmotionRegressor(BaseModel):
    """Audio-visual dimensional emotion recognition (Praveen et al., CVPR-W 2022;
    official code: ``main.py``, ``models/cam.py``).

    Each modality's encoder turns the L sub-sequences of a clip into X_m ∈ R^{B×L×C_m}; an
    optional linear projection (``encoder1``/``encoder2`` of the official code, 512→128)
    maps them to d_m; the fusion module (:class:`JointCrossAttention`, :class:`CrossAttention`
    or :class:`ConcatFusion`) combines them, and the head regresses valence and arousal for
    every sub-sequence. With a single encoder and no fusion it is the unimodal baseline.

    ``audio_channels``/``visual_channels`` of the fusion and ``in_channels`` of the head are
    filled in from the encoders when the config leaves them out.

    Args:
        audio_encoder (dict, optional): :class:`SegmentEncoder` over log-mel spectrograms.
        visual_encoder (dict, optional): :class:`SegmentEncoder` over face clips.
        projection_channels (int, optional): d_m after the projection; None keeps the
            encoders' widths (the ``Jcam_512`` variant). Defaults to 128.
        fusion (dict, optional): Fusion module; required with two encoders, None with one.
        head (dict, optional): :class:`VARegressionHead` config.
            Defaults to ``dict(type='VARegressionHead')``.
        data_preprocessor (dict, optional): Defaults to ``dict(type='AVDataPreprocessor')``.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 audio_encoder: dict | None = None,
                 visual_encoder: dict | None = None,
                 projection_channels: int | None = 128,
                 fusion: dict | None = None,
                 head: dict | None = None,
                 data_preprocessor: dict | None = None,
                 init_cfg: dict | None = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor
                         or dict(type='AVDataPreprocessor'), init_cfg=init_cfg)
        encoders = {'audio': audio_encoder, 'visual': visual_encoder}
        self.modalities = tuple(m for m, cfg in encoders.items() if cfg is not None)
        if not self.modalities:
            raise ValueError('AVEmotionRegressor needs an audio_encoder, a visual_encoder or '
                             'both.')
        if len(self.modalities) == 2 and fusion is None:
            raise ValueError('Two encoders need a `fusion` module (JointCrossAttention, '
                             'CrossAttention or ConcatFusion).')
        if len(self.modalities) == 1 and fusion is not None:
            raise ValueError(f'`fusion` needs both encoders; only {self.modalities[0]!r} given.')
        # mmengine's ModuleDict, not torch's: init_weights() must reach each encoder so that
        # its `init_cfg` (e.g. a Pretrained backbone checkpoint) is applied.
        self.encoders = ModuleDict({m: MODELS.build(encoders[m]) for m in self.modalities})
        self.projections = ModuleDict({
            m: (nn.Linear(self.encoders[m].out_channels, projection_channels)
                if projection_channels else nn.Identity()) for m in self.modalities})
        widths = {m: projection_channels or self.encoders[m].out_channels
                  for m in self.modalities}
        if fusion is not None:
            fusion = dict(fusion)
            fusion.setdefault('audio_channels', widths['audio'])
            fusion.setdefault('visual_channels', widths['visual'])
            if fusion.get('output') == 'as_coded':
                # The official regressor reads the visual feature before its projection.
                fusion.setdefault('raw_visual_channels', self.encoders['visual'].out_channels)
            self.fusion = MODELS.build(fusion)
            fused = self.fusion.out_channels
        else:
            self.fusion = None
            fused = widths[self.modalities[0]]
        head = dict(head or dict(type='VARegressionHead'))
        head.setdefault('in_channels', fused)
        self.head = MODELS.build(head)

    def extract_feat(self, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
        """Encodes, projects and fuses the modalities.

        Args:
            inputs (dict[str, Tensor]): 'audio' (B, L, 1, M, F) and/or 'video'
                (B, L, 3, T, H, W), normalised.

        Returns:
            Tensor: Fused features (B, L, C).
        """
        keys = {'audio': 'audio', 'visual': 'video'}
        raw, feats = {}, {}
        for m in self.modalities:
            if keys[m] not in inputs:
                raise KeyError(f'The model uses the {m} modality but the batch has no '
                               f'{keys[m]!r} input (found {sorted(inputs)}).')
            raw[m] = self.encoders[m](inputs[keys[m]])
            feats[m] = self.projections[m](raw[m])
        if self.fusion is None:
            return feats[self.modalities[0]]
        return self.fusion(feats['audio'], feats['visual'], raw_v=raw['visual'])

    @staticmethod
    def stack_targets(data_samples: list[BaseDataElement],
                      dimensions: tuple[str, ...]) -> tuple[dict, dict]:
        """Labels {dim: (B, L)} and, per dimension, the (B, L) mask of the sub-sequences
        labelled in that dimension (Aff-Wild2 marks each dimension's gaps with −5)."""
        targets = {dim: torch.stack([s.get(f'gt_{dim}') for s in data_samples])
                   for dim in dimensions}
        valid = torch.stack([s.valid for s in data_samples])
        return targets, {dim: valid & (targets[dim] != IGNORE) for dim in dimensions}

    def forward(self, inputs: dict[str, torch.Tensor],
                data_samples: list[BaseDataElement] | None = None,
                mode: str = 'tensor'):
        """Runs the model.

        Args:
            inputs (dict[str, Tensor]): See :meth:`extract_feat`.
            data_samples (list[BaseDataElement], optional): One per clip, with ``gt_valence``,
                ``gt_arousal`` and ``valid`` (L,) and ``frame_ids`` (L,).
            mode (str): 'loss', 'predict' or 'tensor'.

        Returns:
            dict of losses ('loss'), data samples with ``pred_<dim>`` (L,) ('predict'), or
            {dim: (B, L)} predictions ('tensor').
        """
        feats = self.extract_feat(inputs)
        if mode == 'loss':
            targets, valid = self.stack_targets(data_samples, self.head.dimensions)
            return self.head.loss(feats, targets, valid)
        preds = self.head(feats)
        if mode == 'tensor':
            return preds
        if mode == 'predict':
            for i, sample in enumerate(data_samples):
                for dim, value in preds.items():
                    sample.set_field(value[i], f'pred_{dim}')
            return data_samples
        raise RuntimeError(f'Invalid mode {mode!r}; use "loss", "predict" or "tensor".')
