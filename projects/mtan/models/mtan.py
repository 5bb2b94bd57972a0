"""MTAN: a shared network with task-specific attention (Liu et al., "End-to-End Multi-Task
Learning with Attention", CVPR 2019), and the paper's baselines in the same class."""
from __future__ import annotations

import torch
from mmengine.model import BaseModel
from torch import nn

from ..registry import MODELS
from ..structures import MultiTaskDataSample
from .heads import TASKS, DenseTaskHead
from .losses import TASK_LOSSES


def official_init(module: nn.Module) -> None:
    """The official initialisation: convs Xavier-normal with zero bias, BN weight 1, bias 0
    (lorenmt/mtan ``SegNet.__init__``)."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_normal_(m.weight)
            nn.init.constant_(m.bias, 0)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)


def build_in_scope(cfg: dict) -> nn.Module:
    """Builds a component looked up in this scope unless ``cfg`` names another
    (``_scope_``), so that the model also builds under another default scope."""
    return MODELS.build(dict(cfg, _scope_=cfg.get('_scope_', 'mtan')))


@MODELS.register_module()
class MTAN(BaseModel):
    """Dense multi-task prediction from a shared backbone, with or without task attention.

    - ``attention=dict(type='MTANAttention')``: MTAN (several tasks) or STAN (one task), the
      paper's method (Sec. 3.1).
    - ``attention=None``: every head reads the backbone's last feature: the *split* (multi-head,
      hard sharing) baseline with several tasks, the *single-task* network with one (Sec. 4.1).

    ``loss`` returns one unweighted ``loss_<task>`` per task; how they are weighted (equal,
    DWA, uncertainty) is the business of :class:`~..engine.LossWeightingHook`, which works on
    any model's loss dict. Without the hook mmengine sums them (equal weights).

    Args:
        backbone (dict): The shared network, e.g. ``dict(type='SegNet')``.
        tasks (Sequence[str]): Tasks among ``'seg'``, ``'depth'``, ``'normal'``. Defaults to all
            three.
        num_classes (int): Segmentation classes. Defaults to 13 (NYUv2).
        attention (dict, optional): The task attention networks; ``num_tasks`` and ``filters``
            are filled in from ``tasks`` and the backbone. Defaults to None (no attention).
        data_preprocessor (dict, optional): Defaults to ``MultiTaskDataPreprocessor``.
        init_cfg (dict, optional): Unused: :meth:`init_weights` applies the official
            initialisation.
    """

    def __init__(self, backbone: dict, tasks=TASKS, num_classes: int = 13,
                 attention: dict | None = None, data_preprocessor: dict | None = None,
                 init_cfg: dict | None = None) -> None:
        super().__init__(data_preprocessor=build_in_scope(
            data_preprocessor or dict(type='MultiTaskDataPreprocessor')), init_cfg=init_cfg)
        unknown = [t for t in tasks if t not in TASKS]
        if not tasks or unknown or len(set(tasks)) != len(tasks):
            raise ValueError(f'model.tasks={tasks}: give distinct tasks among {TASKS}.')
        self.tasks = tuple(tasks)
        self.num_classes = num_classes
        self.backbone = build_in_scope(backbone)
        self.attention = None
        if attention is not None:
            attention = dict(attention, num_tasks=len(self.tasks))
            attention.setdefault('filters', self.backbone.filters)
            self.attention = build_in_scope(attention)
        self.heads = nn.ModuleDict({
            task: DenseTaskHead(task, self.backbone.out_channels, num_classes)
            for task in self.tasks})
        self.init_weights()

    def init_weights(self) -> None:
        """The official initialisation (see :func:`official_init`)."""
        official_init(self)

    def predict_tasks(self, inputs: torch.Tensor) -> dict[str, torch.Tensor]:
        """{task: (B, C_task, H, W)}: log-probabilities, depth, unit normals."""
        feats = self.backbone(inputs)
        if self.attention is None:
            task_feats = [feats.dec_out[-1]] * len(self.tasks)
        else:
            task_feats = self.attention(feats)
        return {task: self.heads[task](x)
                for task, x in zip(self.tasks, task_feats, strict=True)}

    def forward(self, inputs: torch.Tensor,
                data_samples: list[MultiTaskDataSample] | None = None, mode: str = 'tensor'):
        """``mode='loss'``: {``loss_<task>``}; ``'predict'``: data samples with ``pred_<task>``
        (``pred_seg`` the arg-max class map); ``'tensor'``: {task: raw output}."""
        outputs = self.predict_tasks(inputs)
        if mode == 'tensor':
            return outputs
        if mode == 'loss':
            return self.loss(outputs, data_samples)
        if mode == 'predict':
            return self.predict(outputs, data_samples)
        raise RuntimeError(f'Invalid mode {mode!r}; use "loss", "predict" or "tensor".')

    def loss(self, outputs: dict[str, torch.Tensor],
             data_samples: list[MultiTaskDataSample]) -> dict[str, torch.Tensor]:
        """One unweighted loss per task (paper Eqs. 4-6)."""
        losses = {}
        for task, out in outputs.items():
            target = torch.stack([s.get(f'gt_{task}') for s in data_samples])
            losses[f'loss_{task}'] = TASK_LOSSES[task](out, target)
        return losses

    def predict(self, outputs: dict[str, torch.Tensor],
                data_samples: list[MultiTaskDataSample] | None) -> list[MultiTaskDataSample]:
        """The per-sample predictions, shaped as the ground truths."""
        batch = next(iter(outputs.values())).shape[0]
        samples = data_samples or [MultiTaskDataSample() for _ in range(batch)]
        for i, sample in enumerate(samples):
            for task, out in outputs.items():
                sample.set_data({f'pred_{task}': out[i].argmax(0) if task == 'seg'
                                 else out[i]})
        return samples
