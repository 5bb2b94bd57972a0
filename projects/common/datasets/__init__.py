"""Embedded datasets: seeded generators that write real-format datasets to disk."""
from .builder import EmbeddedDataset, EmbeddedDatasetBuilder, build_embedded_data
from .cluttered_digits import ClutteredDigitsBuilder, ClutteredDigitStillsBuilder
from .digit_images import DigitImagesBuilder
from .embedded_vsr import EmbeddedVSRBuilder
from .emotion_av import EmotionAVBuilder
from .moving_digits import MovingDigitsBuilder

__all__ = ['ClutteredDigitStillsBuilder', 'ClutteredDigitsBuilder', 'DigitImagesBuilder',
           'EmbeddedDataset', 'EmbeddedDatasetBuilder', 'EmbeddedVSRBuilder', 'EmotionAVBuilder',
           'MovingDigitsBuilder', 'build_embedded_data']
