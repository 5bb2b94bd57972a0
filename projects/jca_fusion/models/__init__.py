"""Encoders, fusion modules, head, loss and the regressor of joint cross-attention fusion."""
from .data_preprocessor import AVDataPreprocessor
from .encoders import SegmentEncoder
from .fusion import ConcatFusion, CrossAttention, JointCrossAttention
from .head import VARegressionHead
from .losses import CCCLoss, concordance_cc
from .r2plus1d_tsav import R2Plus1dTSAV
from .regressor import AVEmotionRegressor

__all__ = ['AVDataPreprocessor', 'AVEmotionRegressor', 'CCCLoss', 'ConcatFusion',
           'CrossAttention', 'JointCrossAttention', 'R2Plus1dTSAV', 'SegmentEncoder',
           'VARegressionHead', 'concordance_cc']
