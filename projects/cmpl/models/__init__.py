"""Models of the CMPL project."""
from .cmpl_recognizer import CMPLRecognizer
from .data_preprocessor import CMPLDataPreprocessor

__all__ = ['CMPLDataPreprocessor', 'CMPLRecognizer']
