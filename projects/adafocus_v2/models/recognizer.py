"""The AdaFocusV2 recognizer: glance, choose a patch, focus, classify."""
from __future__ import annotations

import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.model import BaseModel
from torch import Tensor, nn
from torch.nn import functional

from .classifier import PoolingClassifier
from .patch_crop import check_patch_size, crop_patches


@MODELS.register_module()
class AdaFocusV2(BaseModel):
    """AdaFocusV2 (Wang et al., CVPR 2022): one-stage spatially adaptive video recognition.

    Per video (official code: models/adafocus_v2.py, `AdaFocus`):

    1. the global encoder f_G glances at every whole frame, downsized to ``global_size``;
    2. the policy network π reads f_G's feature maps and outputs one patch location per frame
       (or one per video, ``PolicyNetwork(per_clip=True)``); its input is detached when
       ``stop_gradient`` (paper §3.3), so π never updates f_G;
    3. the patch is cut from the full-resolution frame with the differentiable
       interpolation-based crop (:func:`crop_patches`), so the task loss trains π end to end;
    4. the local encoder f_L processes only the P x P patch;
    5. the classifier f_C combines both: :class:`PoolingClassifier` (running max over time, a
       head per step; its step logits are the exits of AdaFocusV2+) or, for the TSM variant,
       :class:`DetachedFusionHead`.

    Training (paper §3.3; official code: main_v2.py, `train`): cross-entropy on every output
    of f_C, plus, when ``aux_supervision``, on linear heads over f_G's and f_L's features; when
    ``diversity_augmentation``, a second branch with uniformly random patch locations (sharing
    f_G's forward pass), the loss being the mean of both branches.

    Inputs are (B, T, C, H, W) frames from ``ActionDataPreprocessor(format_shape='NCHW')``.
    With ``num_focus_frames=None`` f_G and f_L see the same T = ``num_frames`` frames
    (ActivityNet / FCVID / Mini-Kinetics). With ``num_focus_frames=T_L`` (TSM variant) each
    video holds ``num_frames`` glance frames followed by T_L independently sampled focus frames
    (see :class:`SampleGlanceFocusFrames`).

    Multi-label videos (one-hot ``gt_label``, ActivityNet / FCVID) are trained with the
    cross-entropy against the uniform distribution over their labels: the expectation of the
    official loader's "one random label of the video" target.

    Args:
        global_encoder (dict): Config of f_G, a 2D backbone returning a feature map.
        local_encoder (dict): Config of f_L, a 2D backbone returning a feature map.
        policy (dict): Config of π (:class:`PolicyNetwork`).
        classifier (dict): Config of f_C (:class:`PoolingClassifier` or
            :class:`DetachedFusionHead`).
        num_classes (int): Number of classes.
        global_channels (int): Channels of f_G's feature map.
        local_channels (int): Channels of f_L's feature map.
        patch_size (int): Side P of the patch cut from the full-resolution frame.
        num_frames (int): Frames per video seen by f_G (T, or T_G). Defaults to 16.
        num_focus_frames (int | None): Frames seen by f_L if sampled separately (T_L).
            Defaults to None (the same frames as f_G).
        global_size (int | None): Side the frames are resized to for f_G (bilinear,
            ``align_corners=True`` as in the official code). Defaults to None (full frames).
        aux_supervision (bool): Auxiliary CE on f_G's and f_L's features. Defaults to True.
        aux_per_frame (bool): Auxiliary heads classify every frame (variant A); otherwise
            their frame logits are averaged first (TSM average consensus). Defaults to True.
        aux_dropout (float): Dropout before the auxiliary heads. Defaults to 0.2.
        diversity_augmentation (bool): Add the random-patch branch. Defaults to True.
        stop_gradient (bool): Detach π's input. Defaults to True.
        early_exit (dict | None): Conditional exit at inference (AdaFocusV2+), frame by frame:
            ``dict(thresholds=[η_1, ..., η_T], confidence='max_logit')`` (thresholds fitted
            by ``tools/conditional_exit.py --save-thresholds``). ``predict`` then processes
            frame t only for the videos that have not exited, so the saving is real time;
            see :meth:`stream`. Defaults to None (all frames, batched).
        channels_last (bool): Keep f_G's and f_L's convolution weights channels-last, so that
            PyTorch picks its channels-last kernels: on CPU at paper size (P=128) f_G runs
            1.4-1.65x and the whole model 1.2x faster with outputs within 1e-6 (relative) of
            the default layout (``tools/speed.py --knobs``). Defaults to True.
        data_preprocessor (dict | None): Config of the data preprocessor. Defaults to None.
        init_cfg (dict | list[dict] | None): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 global_encoder: dict,
                 local_encoder: dict,
                 policy: dict,
                 classifier: dict,
                 num_classes: int,
                 global_channels: int,
                 local_channels: int,
                 patch_size: int,
                 num_frames: int = 16,
                 num_focus_frames: int | None = None,
                 global_size: int | None = None,
                 aux_supervision: bool = True,
                 aux_per_frame: bool = True,
                 aux_dropout: float = 0.2,
                 diversity_augmentation: bool = True,
                 stop_gradient: bool = True,
                 early_exit: dict | None = None,
                 channels_last: bool = True,
                 data_preprocessor: dict | None = None,
                 init_cfg: dict | list[dict] | None = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if patch_size <= 0:
            raise ValueError(f'patch_size={patch_size} must be positive.')
        self.global_encoder = MODELS.build(global_encoder)
        self.local_encoder = MODELS.build(local_encoder)
        if channels_last:
            # Initialisation and checkpoint loading write into these tensors in place and
            # keep their layout.
            for encoder in (self.global_encoder, self.local_encoder):
                encoder.to(memory_format=torch.channels_last)
        self.policy = MODELS.build(policy)
        self.classifier = MODELS.build(classifier)
        self.num_classes = num_classes
        self.patch_size = patch_size
        self.num_frames = num_frames
        self.num_focus_frames = num_focus_frames
        self.global_size = global_size
        self.aux_supervision = aux_supervision
        self.aux_per_frame = aux_per_frame
        self.diversity_augmentation = diversity_augmentation
        self.stop_gradient = stop_gradient
        self._check_frame_counts()
        self.early_exit = None
        if early_exit is not None:
            self.set_early_exit(**early_exit)
        if aux_supervision:
            # Named after their encoders so that `custom_keys` lr multipliers cover them too.
            self.global_encoder_fc = nn.Sequential(
                nn.Dropout(aux_dropout), nn.Linear(global_channels, num_classes))
            self.local_encoder_fc = nn.Sequential(
                nn.Dropout(aux_dropout), nn.Linear(local_channels, num_classes))

    def _check_frame_counts(self) -> None:
        """Refuses a config whose π or f_C expects another number of frames."""
        wanted = {'policy': self.num_frames}
        if isinstance(self.classifier, PoolingClassifier):
            wanted['classifier'] = self.num_focus_frames or self.num_frames
        for name, frames in wanted.items():
            found = getattr(getattr(self, name), 'num_frames', frames)
            if found != frames:
                raise ValueError(f'{name}.num_frames={found} does not match the model\'s '
                                 f'{frames} frames per video (num_frames={self.num_frames}, '
                                 f'num_focus_frames={self.num_focus_frames}).')

    # ----------------------------------------------------------------------------- parts
    def split_frames(self, inputs: Tensor) -> tuple[Tensor, Tensor]:
        """Checks the frame count and returns the glance and focus frames (B, T, C, H, W).

        Raises:
            ValueError: If the input does not hold the configured number of frames, or the
                patch does not fit in the frames.
        """
        if inputs.dim() != 5:
            raise ValueError('AdaFocusV2 expects inputs (B, T, C, H, W) from '
                             "ActionDataPreprocessor(format_shape='NCHW'), got shape "
                             f'{tuple(inputs.shape)}.')
        expected = self.num_frames + (self.num_focus_frames or 0)
        if inputs.shape[1] != expected:
            split = (f'num_frames={self.num_frames} + num_focus_frames={self.num_focus_frames}'
                     if self.num_focus_frames else f'num_frames={self.num_frames}')
            raise ValueError(
                f'AdaFocusV2 got {inputs.shape[1]} frames per video but the config says '
                f'{split}; make the sampling transform (num_clips x clip_len) produce exactly '
                f'{expected}.')
        check_patch_size(self.patch_size, *inputs.shape[-2:])
        if self.num_focus_frames:
            return inputs[:, :self.num_frames], inputs[:, self.num_frames:]
        return inputs, inputs

    def glance(self, frames: Tensor) -> tuple[Tensor, Tensor]:
        """f_G on the downsized whole frames.

        Args:
            frames (Tensor): Frames (B, T, C, H, W).

        Returns:
            tuple[Tensor, Tensor]: Pooled vectors (B, T, C_G) and maps (B, T, C_G, h, w).
        """
        b, t = frames.shape[:2]
        x = frames.flatten(0, 1)
        if self.global_size is not None:
            x = functional.interpolate(x, size=(self.global_size, self.global_size),
                                       mode='bilinear', align_corners=True)
        maps = self._feature_map(self.global_encoder(x))
        return maps.mean((2, 3)).view(b, t, -1), maps.view(b, t, *maps.shape[1:])

    def focus(self, frames: Tensor, actions: Tensor) -> Tensor:
        """Crops the patches chosen by ``actions`` and encodes them with f_L.

        Args:
            frames (Tensor): Full-resolution frames (B, T, C, H, W).
            actions (Tensor): Patch locations (B, T, 2), or (B, 1, 2) shared by all frames.

        Returns:
            Tensor: Pooled f_L vectors (B, T, C_L).
        """
        b, t = frames.shape[:2]
        actions = actions.expand(b, t, 2).reshape(b * t, 2)
        patches = crop_patches(frames.flatten(0, 1), actions, self.patch_size)
        return self._feature_map(self.local_encoder(patches)).mean((2, 3)).view(b, t, -1)

    def choose_patches(self, global_maps: Tensor) -> Tensor:
        """π on f_G's maps, detached when ``stop_gradient`` (paper §3.3)."""
        return self.policy(global_maps.detach() if self.stop_gradient else global_maps)

    def classify(self, global_feats: Tensor, local_feats: Tensor) -> dict[str, Tensor]:
        """f_C and the auxiliary heads.

        Returns:
            dict[str, Tensor]: ``cls`` logits (B, S, K) of f_C's S outputs (S = T for
            :class:`PoolingClassifier`), and, with auxiliary supervision, ``aux_global`` and
            ``aux_local`` logits (B, T or 1, K).
        """
        logits = dict(cls=self.classifier(global_feats, local_feats))
        if self.aux_supervision:
            for name, feats, head in (('aux_global', global_feats, self.global_encoder_fc),
                                      ('aux_local', local_feats, self.local_encoder_fc)):
                out = head(feats)
                logits[name] = out if self.aux_per_frame else out.mean(1, keepdim=True)
        return logits

    def run(self, inputs: Tensor, random_patches: bool = False) -> dict[str, Tensor]:
        """The whole forward pass of one branch (used by :meth:`predict` and analysis tools).

        Returns:
            dict[str, Tensor]: The logits of :meth:`classify` and the ``actions``.
        """
        glance_frames, focus_frames = self.split_frames(inputs)
        global_feats, global_maps = self.glance(glance_frames)
        actions = self.choose_patches(global_maps)
        if random_patches:
            actions = torch.rand_like(actions)
        out = self.classify(global_feats, self.focus(focus_frames, actions))
        out['actions'] = actions
        return out

    # ------------------------------------------------------------------ BaseModel API
    def forward(self, inputs: Tensor, data_samples: list[ActionDataSample] | None = None,
                mode: str = 'tensor'):
        """Dispatches to :meth:`loss`, :meth:`predict` or the step logits (``tensor``).

        Args:
            inputs (Tensor): Frames (B, T, C, H, W).
            data_samples (list[ActionDataSample] | None): Annotations. Defaults to None.
            mode (str): ``'loss'``, ``'predict'`` or ``'tensor'``. Defaults to ``'tensor'``.

        Returns:
            dict[str, Tensor] | list[ActionDataSample] | Tensor: Losses, predictions or the
            logits (B, S, K) of f_C.
        """
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.run(inputs)['cls']
        raise RuntimeError(f'Invalid mode {mode!r}; expected "loss", "predict" or "tensor".')

    def loss(self, inputs: Tensor, data_samples: list[ActionDataSample]) -> dict[str, Tensor]:
        """The training loss (official code: main_v2.py, `train`; Sth-Sth folder: main.py).

        Args:
            inputs (Tensor): Frames (B, T, C, H, W).
            data_samples (list[ActionDataSample]): Annotations with ``gt_label``.

        Returns:
            dict[str, Tensor]: ``loss_cls``, ``loss_aux_global``, ``loss_aux_local`` of the
            policy branch and, with diversity augmentation, the same with suffix ``_random``
            for the random-patch branch; each weighted by 1 / number of branches.
        """
        targets = self._targets(data_samples)
        glance_frames, focus_frames = self.split_frames(inputs)
        global_feats, global_maps = self.glance(glance_frames)
        actions = self.choose_patches(global_maps)
        branches = {'': actions}
        if self.diversity_augmentation:
            # Variant A draws a location per frame, the per-clip policy one per video.
            branches['_random'] = torch.rand_like(actions)
        losses = {}
        for suffix, branch_actions in branches.items():
            logits = self.classify(global_feats, self.focus(focus_frames, branch_actions))
            for name, value in logits.items():
                losses[f'loss_{name}{suffix}'] = self._cross_entropy(value, targets) / len(
                    branches)
        return losses

    def set_early_exit(self, thresholds: list[float] | None,
                       confidence: str = 'max_logit') -> None:
        """Switches frame-by-frame conditional exit on (thresholds) or off (None).

        Raises:
            ValueError: If the model cannot run frame by frame (a per-clip policy or a
                classifier without a head per step) or the thresholds do not match its steps.
        """
        if thresholds is None:
            self.early_exit = None
            return
        if not isinstance(self.classifier, PoolingClassifier) or self.policy.per_clip or \
                self.num_focus_frames is not None:
            raise ValueError('early_exit needs the frame-by-frame design (PoolingClassifier, a '
                             'per-frame policy, the same frames for f_G and f_L); the TSM '
                             'variant sees all frames at once.')
        if len(thresholds) != self.num_frames:
            raise ValueError(f'early_exit.thresholds has {len(thresholds)} values; the model '
                             f'has {self.num_frames} steps.')
        if confidence not in ('max_logit', 'max_softmax'):
            raise ValueError(f"early_exit.confidence={confidence!r}: use 'max_logit' or "
                             "'max_softmax'.")
        self.early_exit = dict(thresholds=[float(x) for x in thresholds],
                               confidence=confidence)

    @torch.no_grad()
    def stream(self, inputs: Tensor) -> dict[str, Tensor]:
        """Frame-by-frame inference with conditional exit (AdaFocusV2+).

        Frame t of the videos still running goes through f_G, one GRU step of π (its state
        carried), the crop, f_L and f_C's step t (the running maximum carried); a video whose
        step-t confidence reaches η_t stops there, and the next frames are computed for the
        others only. The step logits are those of :meth:`run` (batch norm in eval mode),
        so the exits are the ones :func:`~..evaluation.exit_steps` simulates.

        Args:
            inputs (Tensor): Frames (B, T, C, H, W).

        Returns:
            dict[str, Tensor]: ``logits`` (B, K) at each video's exit, ``steps`` (B,) the
            0-based exit step, ``actions`` (B, T, 2) (NaN after the exit).
        """
        if self.early_exit is None:
            raise RuntimeError('stream() needs early_exit thresholds (set_early_exit).')
        frames, _ = self.split_frames(inputs)
        b, t = frames.shape[:2]
        thresholds = self.early_exit['thresholds']
        logits = frames.new_zeros(b, self.num_classes)
        steps = torch.full((b, ), t - 1, dtype=torch.long, device=frames.device)
        actions = frames.new_full((b, t, 2), float('nan'))
        active = torch.arange(b, device=frames.device)
        state = pooled = None
        for step in range(t):
            x = frames[active, step]
            glance = x if self.global_size is None else functional.interpolate(
                x, size=(self.global_size, self.global_size), mode='bilinear',
                align_corners=True)
            maps = self._feature_map(self.global_encoder(glance))
            action, state = self.policy.step(maps, state)
            patches = crop_patches(x, action, self.patch_size)
            local = self._feature_map(self.local_encoder(patches)).mean((2, 3))
            out, pooled = self.classifier.step(maps.mean((2, 3)), local, pooled, step)
            actions[active, step] = action
            conf = (out if self.early_exit['confidence'] == 'max_logit'
                    else out.softmax(-1)).max(-1).values
            done = conf >= thresholds[step] if step < t - 1 else torch.ones_like(conf).bool()
            logits[active[done]] = out[done]
            steps[active[done]] = step
            keep = ~done
            if not keep.any():
                break
            active, pooled = active[keep], pooled[keep]
            state = state[:, keep] if state is not None else None
        return dict(logits=logits, steps=steps, actions=actions)

    def predict(self, inputs: Tensor,
                data_samples: list[ActionDataSample]) -> list[ActionDataSample]:
        """Predicts with π's patches (frame by frame with exits when ``early_exit`` is set:
        then ``pred_score`` comes from each video's exit and ``exit_step`` says which).

        Args:
            inputs (Tensor): Frames (B, T, C, H, W).
            data_samples (list[ActionDataSample]): The samples to fill in.

        Returns:
            list[ActionDataSample]: ``data_samples``, each holding ``pred_score`` (softmax
            of f_C's last output), ``pred_label``, ``step_logits`` (S, K) (f_C's outputs, the
            exits of conditional exit) and ``actions`` (T or 1, 2) (π's patch locations).
        """
        if self.early_exit is not None:
            out = self.stream(inputs)
            for sample, logits, step, actions in zip(data_samples, out['logits'], out['steps'],
                                                     out['actions'], strict=True):
                score = logits.softmax(-1)
                sample.set_pred_score(score)
                sample.set_pred_label(score.argmax(-1, keepdim=True))
                sample.exit_step = step
                sample.actions = actions
            return data_samples
        out = self.run(inputs)
        for sample, steps, actions in zip(data_samples, out['cls'], out['actions'],
                                          strict=True):
            score = steps[-1].softmax(-1)
            sample.set_pred_score(score)
            sample.set_pred_label(score.argmax(-1, keepdim=True))
            sample.step_logits = steps
            sample.actions = actions
        return data_samples

    # --------------------------------------------------------------------------- helpers
    @staticmethod
    def _feature_map(out: Tensor | tuple[Tensor, ...]) -> Tensor:
        """The last feature map of a backbone that may return several."""
        return out[-1] if isinstance(out, (tuple, list)) else out

    def _targets(self, data_samples: list[ActionDataSample]) -> Tensor:
        """Class indices (B,), or label distributions (B, K) for multi-label videos."""
        labels = [sample.gt_label.view(-1) for sample in data_samples]
        if all(label.numel() == 1 for label in labels):
            return torch.cat(labels).long()
        if all(label.numel() == self.num_classes for label in labels):
            hot = torch.stack(labels).float()
            return hot / hot.sum(1, keepdim=True).clamp(min=1)
        raise ValueError(f'gt_label must hold one class index or a {self.num_classes}-way '
                         f'one-hot vector, got sizes {[label.numel() for label in labels]}.')

    @staticmethod
    def _cross_entropy(logits: Tensor, targets: Tensor) -> Tensor:
        """Mean CE of logits (B, S, K) against the video's target repeated over the S steps."""
        s = logits.shape[1]
        return functional.cross_entropy(logits.flatten(0, 1),
                                        targets.repeat_interleave(s, dim=0))
