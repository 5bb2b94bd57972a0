# Decoding with shallow fusion: HAT + lambda * KN 8-gram - beta * ILM (HAT paper, internal LM);
# lambda/beta are swept on the dev split by tools/benchmark.py.
_base_ = ['hat_lstm-h128_1xb16-30e_tiny-espeak-rare-words.py']
custom_imports = dict(
    imports=['projects.hat_mwer', 'projects.hat_mwer.datasets.embedded_espeak_rare_words'],
    allow_failed_imports=False)
# The same text as {data_root}/lm_text.txt, generated in memory so that the LM does not
# depend on where the audio lives.
lm = dict(type='KNGramLM', corpus=dict(type='RareWordCorpus', num_sentences=20000, seed=1),
          order=8)
model = dict(lm=lm, decode=dict(beam=4, lm_weight=0.5, ilm_weight=0.2))
