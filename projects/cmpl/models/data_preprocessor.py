"""Normalisation of the semi-supervised batches: one ActionDataPreprocessor per view."""
from __future__ import annotations

from mmaction.models import ActionDataPreprocessor
from mmaction.registry import MODELS


@MODELS.register_module()
class CMPLDataPreprocessor(ActionDataPreprocessor):
    """:class:`ActionDataPreprocessor` applied to every view of a dict of inputs.

    The semi-supervised dataset yields ``inputs`` as a dict of clips (labeled and unlabeled
    views, see :class:`~projects.cmpl.datasets.SemiSupervisedDataset`); each view is stacked
    and normalised alike. Plain inputs (validation and test clips) are processed as mmaction2
    does. The arguments are :class:`ActionDataPreprocessor`'s (``format_shape`` defaults to
    ``'NCTHW'`` here); batch blending is not supported, since it would mix labels across the
    labeled and unlabeled views.
    """

    def __init__(self, format_shape: str = 'NCTHW', **kwargs) -> None:
        if kwargs.get('blending') is not None:
            raise ValueError('CMPLDataPreprocessor: `blending` is not supported.')
        super().__init__(format_shape=format_shape, **kwargs)

    def forward_onesample(self, data: dict, training: bool = False) -> dict:
        inputs = data['inputs']
        if not isinstance(inputs, dict):
            return super().forward_onesample(data, training)
        data['inputs'] = {key: self.preprocess(view, data['data_samples'], training)[0]
                          for key, view in inputs.items()}
        return data
