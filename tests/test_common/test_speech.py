"""The shared eSpeak NG binding: speech, voices, a clear error for a missing voice."""
from __future__ import annotations

import numpy as np
import pytest

from projects.common.datasets.speech import ESpeak


def test_speaks_with_the_chosen_voice_and_parameters():
    engine = ESpeak.get()
    assert engine is ESpeak.get() and engine.rate == 22050
    slow = engine.synth('the knight', voice='en', rate=100)
    fast = engine.synth('the knight', voice='en', rate=300)
    assert slow.dtype == np.int16 and np.abs(slow).max() > 1000  # audible speech
    assert len(slow) > 1.5 * len(fast)                           # words per minute
    other = engine.synth('the knight', voice='en-us+f4', rate=100)
    assert not np.array_equal(other[:len(slow)], slow[:len(other)])


def test_an_unknown_voice_is_named():
    with pytest.raises(RuntimeError, match="no voice 'xx-nowhere'"):
        ESpeak.get().synth('hello', voice='xx-nowhere')
