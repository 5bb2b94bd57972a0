"""Data of the HAT project. The embedded eSpeak corpus builder of the tiny configs lives in
``embedded_espeak_rare_words.py`` (imported by those configs only)."""
from .manifest import ASRManifestDataset, read_wav
from .rare_words import PAIRS, RARE_WORDS, lm_corpus, sample_sentences

__all__ = ['ASRManifestDataset', 'read_wav', 'PAIRS', 'RARE_WORDS', 'lm_corpus',
           'sample_sentences']
