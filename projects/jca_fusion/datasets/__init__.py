"""The Aff-Wild2 VA dataset and the log-mel front end."""
from .affwild2_va import AffWild2VADataset, read_va_labels
from .audio import log_mel_spectrogram, mel_filterbank, read_wav

__all__ = ['AffWild2VADataset', 'log_mel_spectrogram', 'mel_filterbank', 'read_va_labels',
           'read_wav']
