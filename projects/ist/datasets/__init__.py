"""Data of the IST project. The embedded builder of the tiny configs lives in
``embedded_digit_features.py`` (imported by those configs only)."""
from .features import FeaturesDataset

__all__ = ['FeaturesDataset']
