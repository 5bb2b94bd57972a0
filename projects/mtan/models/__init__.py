"""Models of MTAN: the SegNet backbone, the task attention networks, the heads and the
multi-task model."""
from .data_preprocessor import MultiTaskDataPreprocessor
from .heads import DenseTaskHead
from .losses import depth_loss, normal_loss, seg_loss
from .mtan import MTAN
from .segnet import SegNet
from .task_attention import AttentionModule, MTANAttention

__all__ = ['MTAN', 'AttentionModule', 'DenseTaskHead', 'MTANAttention',
           'MultiTaskDataPreprocessor', 'SegNet', 'depth_loss', 'normal_loss', 'seg_loss']
