"""The rare-word grammar of the embedded corpus (pure Python, no audio).

Each entry pairs a *common* word with a *rare* homophone (eSpeak NG pronounces both the same)
and gives the contexts in which each is correct. The audio training transcripts use the rare
word only in a small fraction of its contexts; the LM text corpus uses both words in all their
contexts equally often. The acoustics therefore cannot tell the pair apart, the recogniser's
own (internal) LM learns the common spelling, and only an external LM's text knowledge fixes
the rare words: the mechanism LM fusion and LM-aware MWER are about.
"""
from __future__ import annotations

import random

# (common, rare, contexts of the common word, contexts of the rare word); '{}' is the word.
PAIRS = (
    ('night', 'knight', ('good {} my friend', 'the {} is dark', 'we sleep at {}'),
     ('the brave {} rode home', 'a {} with a sword', 'the old {} fought')),
    ('see', 'sea', ('i can {} you', 'come and {} me', 'we {} the light'),
     ('the blue {} is deep', 'we swim in the {}', 'a ship on the {}')),
    ('right', 'write', ('turn {} here', 'you are {}', 'the {} hand'),
     ('please {} a letter', 'i {} with a pen', 'we {} the story')),
    ('pair', 'pear', ('a {} of shoes', 'buy a {} of socks', 'the {} of gloves'),
     ('eat a ripe {}', 'the green {} is sweet', 'a {} from the tree')),
    ('flower', 'flour', ('a red {} grows', 'the {} in the garden', 'pick a {}'),
     ('bake bread with {}', 'a bag of {}', 'mix the {} and water')),
    ('meet', 'meat', ('nice to {} you', 'we {} at noon', 'come {} my friend'),
     ('eat the {}', 'cook the {} well', 'the {} is hot')),
    ('road', 'rode', ('the long {} home', 'cross the {}', 'a {} to town'),
     ('she {} a horse', 'he {} home fast', 'we {} the bus')),
    ('sun', 'son', ('the hot {}', 'the {} is bright', 'sit in the {}'),
     ('my {} is ten', 'her {} can read', 'the {} of the king')),
)
RARE_WORDS = tuple(p[1] for p in PAIRS)


def sentence(pair: int, rare: bool, template: int) -> str:
    """The ``template``-th context of the common (or rare) word of ``PAIRS[pair]``."""
    common, rare_word, common_ctx, rare_ctx = PAIRS[pair]
    contexts = rare_ctx if rare else common_ctx
    return contexts[template % len(contexts)].format(rare_word if rare else common)


def sample_sentences(num: int, rare_fraction: float, seed: int) -> list[str]:
    """``num`` sentences; a fraction ``rare_fraction`` of them in a rare word's context.

    Args:
        num (int): How many sentences.
        rare_fraction (float): Probability that a sentence is a rare-word context.
        seed (int): Seed of the draw.
    """
    rng = random.Random(seed)
    out = []
    for _ in range(num):
        pair = rng.randrange(len(PAIRS))
        out.append(sentence(pair, rng.random() < rare_fraction, rng.randrange(3)))
    return out


def lm_corpus(num_sentences: int = 20000, seed: int = 1) -> list[str]:
    """The LM text corpus: every context of both words equally often (rare_fraction 0.5)."""
    return sample_sentences(num_sentences, 0.5, seed)
