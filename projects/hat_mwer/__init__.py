"""LM-aware MWER training for HAT models (Wang et al., Interspeech 2022, arXiv 2204.07553).

Importing this package registers the HAT recogniser, its encoders, language models, fusion
module, the manifest dataset and the WER metric into the ``hat_mwer`` registries
(:mod:`.registry`); configs load it with
``custom_imports = dict(imports=['projects.hat_mwer'], allow_failed_imports=False)`` and set
``default_scope = 'hat_mwer'``.
"""
from . import datasets, evaluation, models, registry  # noqa: F401

__all__ = ['datasets', 'evaluation', 'models', 'registry']
