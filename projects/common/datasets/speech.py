"""Speech from the eSpeak NG library that the ``espeakng-loader`` wheel ships (no download).

Shared by the embedded builders that need speech (jca_fusion's talking faces, hat_mwer's
rare-word corpus).
"""
from __future__ import annotations

import ctypes

import numpy as np

# espeak_AUDIO_OUTPUT and espeak_PARAMETER values of speak_lib.h.
_SYNCHRONOUS, _RATE, _VOLUME, _PITCH, _POS_CHARACTER = 2, 1, 2, 3, 1


class ESpeak:
    """Minimal ctypes binding of the packaged eSpeak NG library (synchronous synthesis).

    The library keeps global state, so use the process-wide instance :meth:`get`.
    """

    _instance: ESpeak | None = None

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError as e:
            raise ImportError('Speech is synthesised with eSpeak NG: `pip install '
                              'espeakng-loader` (requirements/runtime.txt).') from e
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.rate = self.lib.espeak_Initialize(
            _SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0)
        if self.rate <= 0:
            raise RuntimeError('eSpeak NG failed to initialise.')
        self._chunks: list[np.ndarray] = []
        callback_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short),
                                         ctypes.c_int, ctypes.c_void_p)
        # Kept on the instance: ctypes must not free the callback while the library holds it.
        self._callback = callback_type(self._collect)
        self.lib.espeak_SetSynthCallback(self._callback)
        if self.lib.espeak_SetVoiceByName(b'en') != 0:
            raise RuntimeError('eSpeak NG has no "en" voice in the packaged data.')

    @classmethod
    def get(cls) -> ESpeak:
        """The process-wide instance."""
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def _collect(self, wav, num_samples, events) -> int:
        if num_samples > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(num_samples,)).copy())
        return 0

    def synth(self, text: str, voice: str | None = None, rate: int | None = None,
              pitch: int | None = None, volume: int | None = None) -> np.ndarray:
        """Speaks ``text``; returns int16 samples at :attr:`rate` Hz.

        Args:
            text (str): What to say.
            voice (str, optional): An eSpeak NG voice name, with an optional variant
                (``'en-us+f4'``), selected before speaking (which also resets the synthesiser's
                state, so the output depends on it). Defaults to None: the current voice
                (``'en'`` until another is selected), not re-selected.
            rate (int, optional): Words per minute, 80-450. Defaults to the voice's.
            pitch (int, optional): Base pitch, 0-99. Defaults to the voice's (50).
            volume (int, optional): Amplitude, 0-200 (100 is normal). Defaults to the voice's.

        Raises:
            RuntimeError: If the packaged data has no such voice.
        """
        if voice is not None and self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise RuntimeError(f'eSpeak NG has no voice {voice!r} in the packaged data.')
        self._chunks = []
        for param, value in ((_PITCH, pitch), (_RATE, rate), (_VOLUME, volume)):
            if value is not None:
                self.lib.espeak_SetParameter(param, int(value), 0)
        data = text.encode()
        self.lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, 0, None, None)
        self.lib.espeak_Synchronize()
        return np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
