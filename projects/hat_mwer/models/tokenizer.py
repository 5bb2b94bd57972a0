"""Character vocabulary of the recogniser and the language models."""
from __future__ import annotations

import torch

DEFAULT_CHARS = "abcdefghijklmnopqrstuvwxyz' "


class CharTokenizer:
    """Maps normalised text to label ids ``0..V-1`` and back.

    The transducer's blank is not a label (HAT models it with its own sigmoid), so the label
    ids are exactly the characters. Language models add ``eos = V`` and ``bos = V + 1``; the
    prediction network uses ``V`` as its start symbol.

    Args:
        chars (str): The characters, in id order. Defaults to lower-case letters, apostrophe
            and space (LibriSpeech's transcript alphabet, lower-cased).
    """

    def __init__(self, chars: str = DEFAULT_CHARS) -> None:
        if len(set(chars)) != len(chars):
            raise ValueError(f'tokenizer chars {chars!r} repeat a character.')
        self.chars = chars
        self.index = {c: i for i, c in enumerate(chars)}

    @property
    def num_labels(self) -> int:
        return len(self.chars)

    @property
    def eos(self) -> int:
        return len(self.chars)

    @property
    def bos(self) -> int:
        return len(self.chars) + 1

    def normalise(self, text: str) -> str:
        """Lower-cases, drops characters outside the vocabulary and squeezes spaces."""
        text = ''.join(c for c in text.lower() if c in self.index)
        return ' '.join(text.split())

    def encode(self, text: str) -> list[int]:
        return [self.index[c] for c in self.normalise(text)]

    def decode(self, ids) -> str:
        if isinstance(ids, torch.Tensor):
            ids = ids.tolist()
        return ''.join(self.chars[i] for i in ids if 0 <= i < len(self.chars))
