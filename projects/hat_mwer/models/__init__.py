"""Models of the HAT project: networks, loss, language models, search and the recogniser."""
from .beam_search import beam_search
from .frontend import LogMelPreprocessor, mel_filterbank
from .fusion import FusionWeightModule
from .hat import ConformerEncoder, HATJoint, LSTMEncoder, PredictionNetwork
from .hat_asr import HATASR
from .lm import LSTMLM, KNGramLM, load_corpus
from .mwer import mwer_loss, word_errors
from .tokenizer import CharTokenizer
from .transducer_loss import hat_transducer_loss, transducer_loss_bruteforce, transducer_loss_loop

__all__ = [
    'beam_search', 'LogMelPreprocessor', 'mel_filterbank', 'FusionWeightModule',
    'ConformerEncoder', 'HATJoint', 'LSTMEncoder', 'PredictionNetwork', 'HATASR', 'KNGramLM',
    'LSTMLM', 'load_corpus', 'mwer_loss', 'word_errors', 'CharTokenizer', 'hat_transducer_loss',
    'transducer_loss_bruteforce', 'transducer_loss_loop'
]
