"""MVFNet (Wu et al., AAAI 2021) as an mmaction2 plugin.

Importing this package registers the :class:`~.models.ResNetMVF` backbone into mmaction2's
MODELS registry; configs load it with
``custom_imports = dict(imports=['projects.mvfnet'], allow_failed_imports=False)``.
"""
from . import models  # noqa: F401

__all__ = ['models']
