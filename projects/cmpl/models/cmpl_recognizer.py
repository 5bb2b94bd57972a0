"""Cross-model pseudo-labeling (CMPL, Xu et al., CVPR 2022): two recognizers label each other.

Paper Fig. 3: a primary network F and a lightweight auxiliary network A (3D-ResNet-50 at 1/4
channel width by default) take the same videos at different frame rates. On an unlabeled video
each network predicts on the weakly augmented clip; where its confidence reaches the threshold
τ its hard label ("SG": no gradient) supervises the *other* network on the strongly augmented
clip. Both networks also learn from the labeled clips:

    L = L_s(F) + L_s(A) + λ · (L_u(F ← A) + L_u(A ← F)),
    L_u(F ← A) = 1/(μB) Σ_j 1[max q^A_j ≥ τ] · CE(argmax q^A_j, F(Ω(u_j))).

FixMatch (the paper's baseline, one network labelling itself) and supervised-only training
are modes of the same class, so that the three share every other line.
"""
from __future__ import annotations

import torch
from mmaction.registry import MODELS
from mmaction.utils import ConfigType, OptConfigType, SampleList
from mmengine.model import BaseModel
from torch import Tensor
from torch.nn import functional

MODES = ('cmpl', 'fixmatch', 'supervised')
# Unlabeled views of the inputs dict that SemiSupervisedDataset yields.
UNLABELED_VIEWS = ('primary_weak', 'primary_strong', 'auxiliary_weak', 'auxiliary_strong')


@MODELS.register_module()
class CMPLRecognizer(BaseModel):
    """Primary and auxiliary recognizers trained with cross-model pseudo-labels.

    Training inputs are a dict of batched clips (N, V, C, T, H, W), one entry per view:
    ``primary`` / ``auxiliary`` (weakly augmented labeled clips at each network's frame rate)
    and, per labeled clip, μ unlabeled clips as ``primary_weak``, ``primary_strong``,
    ``auxiliary_weak``, ``auxiliary_strong`` (V = μ). Prediction uses the primary only, on a
    plain tensor (a dict's ``primary`` entry is taken too), and returns what the primary
    recognizer returns, so that its weights alone (``tools/export_primary.py``) serve
    mmaction2's test tools unchanged.

    Args:
        primary (dict): Config of the primary recognizer F (e.g. ``Recognizer3D``).
        auxiliary (dict, optional): Config of the auxiliary recognizer A. Required in
            ``'cmpl'`` mode, must be None otherwise (it would receive no gradient).
        mode (str): ``'cmpl'`` (cross labels), ``'fixmatch'`` (F labels itself) or
            ``'supervised'`` (labeled loss only). Defaults to ``'cmpl'``.
        threshold (float): Confidence τ a pseudo-label needs. Defaults to 0.95 (FixMatch's;
            the paper's value is not known).
        unsup_weight (float): λ, weight of the unlabeled terms. Defaults to 1.0.
        data_preprocessor (dict, optional): Defaults to ``CMPLDataPreprocessor``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 primary: ConfigType,
                 auxiliary: OptConfigType = None,
                 mode: str = 'cmpl',
                 threshold: float = 0.95,
                 unsup_weight: float = 1.0,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptConfigType = None) -> None:
        if mode not in MODES:
            raise ValueError(f'CMPLRecognizer: mode={mode!r}; choose one of {MODES}.')
        if (auxiliary is None) == (mode == 'cmpl'):
            raise ValueError(
                f"CMPLRecognizer: mode={mode!r} {'needs' if mode == 'cmpl' else 'takes no'} "
                "`auxiliary` network (set model.auxiliary to a recognizer config in 'cmpl' "
                'mode, to None otherwise).')
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f'CMPLRecognizer: threshold={threshold} must lie in [0, 1].')
        super().__init__(
            data_preprocessor=data_preprocessor or dict(type='CMPLDataPreprocessor'),
            init_cfg=init_cfg)
        self.primary = MODELS.build(primary)
        self.auxiliary = MODELS.build(auxiliary) if auxiliary is not None else None
        self.mode = mode
        self.threshold = threshold
        self.unsup_weight = unsup_weight

    def forward(self, inputs: dict[str, Tensor] | Tensor, data_samples: SampleList = None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.logits(self.primary, self._primary_input(inputs))
        raise RuntimeError(f'Invalid mode "{mode}". Only supports loss, predict and tensor.')

    @staticmethod
    def logits(net: BaseModel, clips: Tensor) -> Tensor:
        """Class scores (N·V, num_classes) of a recognizer on clips (N, V, C, T, H, W)."""
        scores, _ = net.extract_feat(clips, stage='head')
        return scores

    @staticmethod
    def _primary_input(inputs: dict[str, Tensor] | Tensor) -> Tensor:
        return inputs['primary'] if isinstance(inputs, dict) else inputs

    def predict(self, inputs: dict[str, Tensor] | Tensor, data_samples: SampleList) -> SampleList:
        """The primary recognizer's predictions (A is discarded at test time)."""
        return self.primary.predict(self._primary_input(inputs), data_samples)

    def pseudo_labels(self, net: BaseModel, weak: Tensor) -> tuple[Tensor, Tensor]:
        """Hard labels and confidence mask of ``net`` on weak clips, without gradient (SG)."""
        with torch.no_grad():
            probs = self.logits(net, weak).softmax(dim=-1)
        confidence, labels = probs.max(dim=-1)
        return labels, (confidence >= self.threshold).float()

    @staticmethod
    def masked_ce(scores: Tensor, labels: Tensor, mask: Tensor) -> Tensor:
        """FixMatch's unlabeled loss: CE averaged over *all* μB clips, unconfident ones as 0."""
        return (functional.cross_entropy(scores, labels, reduction='none') * mask).mean()

    def loss(self, inputs: dict[str, Tensor], data_samples: SampleList) -> dict[str, Tensor]:
        """Supervised and pseudo-label losses, plus the pseudo-labels' logged statistics.

        Returns ``loss_sup_primary`` (and ``loss_sup_aux``), ``loss_unsup_primary`` (F
        trained on A's labels in 'cmpl', on its own in 'fixmatch') and ``loss_unsup_aux``,
        ``mask_*`` (fraction of unlabeled clips whose label passes τ) and, when the unlabeled
        clips' true labels are known (``unlabeled_labels`` in the samples' metainfo, never
        used for training), ``precision_*`` / ``recall_*`` of the pseudo-labels (correct
        among confident, and correct-and-confident among all) and, in 'cmpl' mode,
        ``complement_*`` (see :meth:`complementarity`).
        """
        if not isinstance(inputs, dict) or 'primary' not in inputs:
            raise TypeError('CMPLRecognizer.loss expects the dict of views that '
                            'SemiSupervisedDataset yields (train_dataloader.dataset).')
        nets = {'primary': self.primary}
        if self.auxiliary is not None:
            nets['aux'] = self.auxiliary
        losses = {}
        views = {'primary': 'primary', 'aux': 'auxiliary'}
        for name, net in nets.items():
            sup = net.cls_head.loss_by_feat(self.logits(net, inputs[views[name]]),
                                            data_samples)
            losses[f'loss_sup_{name}'] = sup.pop('loss_cls')
            losses.update({f'{k}_{name}': v for k, v in sup.items()})
        if self.mode == 'supervised':
            return losses
        missing = [k for k in UNLABELED_VIEWS[:2 if self.mode == 'fixmatch' else 4]
                   if k not in inputs]
        if missing:
            raise KeyError(f'CMPLRecognizer ({self.mode}): the batch lacks the unlabeled views '
                           f'{missing}; set num_unlabeled > 0 in SemiSupervisedDataset.')
        truth = self._unlabeled_truth(data_samples, inputs['primary_weak'].device)
        # Pseudo-labels of each network on its weak views; who teaches whom depends on mode.
        labels = {name: self.pseudo_labels(net, inputs[f'{views[name]}_weak'])
                  for name, net in nets.items()}
        teacher_of = {'primary': 'aux', 'aux': 'primary'} if self.mode == 'cmpl' \
            else {'primary': 'primary'}
        for student, teacher in teacher_of.items():
            target, mask = labels[teacher]
            scores = self.logits(nets[student], inputs[f'{views[student]}_strong'])
            losses[f'loss_unsup_{student}'] = self.unsup_weight * self.masked_ce(
                scores, target, mask)
        for name, (target, mask) in labels.items():
            losses.update(self.label_stats(name, target, mask, truth))
        if truth is not None and self.mode == 'cmpl':
            losses.update(self.complementarity(labels, truth))
        return losses

    @staticmethod
    def complementarity(labels: dict[str, tuple[Tensor, Tensor]],
                        truth: Tensor) -> dict[str, Tensor]:
        """Fraction of unlabeled clips that only one network labels correctly (and
        confidently): ``complement_aux`` is what A's labels add to what F would give itself,
        the paper's case for cross-model labels; ``complement_primary`` the converse."""
        good = {name: (target == truth) & mask.bool() for name, (target, mask) in labels.items()}
        return {'complement_aux': (good['aux'] & ~good['primary']).float().mean(),
                'complement_primary': (good['primary'] & ~good['aux']).float().mean()}

    @staticmethod
    def _unlabeled_truth(data_samples: SampleList, device: torch.device) -> Tensor | None:
        """True labels of the unlabeled clips in batch order, or None where any is unknown."""
        truth = [s.metainfo.get('unlabeled_labels') for s in data_samples]
        if any(t is None for t in truth):
            return None
        truth = torch.as_tensor([label for t in truth for label in t], device=device)
        return truth if bool((truth >= 0).all()) else None

    @staticmethod
    def label_stats(name: str, labels: Tensor, mask: Tensor,
                    truth: Tensor | None) -> dict[str, Tensor]:
        """Mask ratio and, with known truth, precision and recall of confident labels."""
        stats = {f'mask_{name}': mask.mean()}
        if truth is not None:
            correct = (labels == truth).float() * mask
            # Precision is undefined with no confident label: logged as 0 then.
            stats[f'precision_{name}'] = correct.sum() / mask.sum().clamp(min=1)
            stats[f'recall_{name}'] = correct.mean()
        return stats
