"""Frame-sampling transforms of AdaFocusV2: coarse-to-fine order, TSM glance/focus frames."""
from __future__ import annotations

import numpy as np
from mmaction.datasets.transforms import SampleFrames
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


def coarse_to_fine_order(num: int) -> list[int]:
    """The coarse-to-fine permutation of ``range(num)`` of the official code.

    Official code: main_v2.py, `input_order` (the `--sample` option). Middle frame, both ends,
    then the midpoints of every gap, level by level; for 16 frames
    7, 0, 15, 3, 11, 1, 5, 9, 13, 2, 4, 6, 8, 10, 12, 14. Any prefix of it spreads over the
    whole video, so an early exit after k steps has still seen all of it coarsely.

    Args:
        num (int): Number of frames.

    Returns:
        list[int]: A permutation of ``range(num)``.
    """
    if num <= 2:
        return list(range(num))
    order = [(num - 1) // 2, 0, num - 1]
    chosen = sorted(order)
    while len(order) < num:
        level = [(a + b) // 2 for a, b in zip(chosen, chosen[1:], strict=False) if b - a > 1]
        order += level
        chosen = sorted(chosen + level)
    return order


@TRANSFORMS.register_module()
class CoarseToFineOrder(BaseTransform):
    """Reorders the sampled clips coarse-to-fine (:func:`coarse_to_fine_order`).

    Put it right after ``SampleFrames`` (before decoding), at training and test time alike.

    Required keys: ``frame_inds``, ``num_clips``, ``clip_len``. Modified keys: ``frame_inds``.
    """

    def transform(self, results: dict) -> dict:
        """Permutes the clips of ``results['frame_inds']``.

        Args:
            results (dict): The pipeline's result dict.

        Returns:
            dict: ``results`` with the clips reordered.
        """
        inds = np.asarray(results['frame_inds']).reshape(results['num_clips'], -1)
        results['frame_inds'] = inds[coarse_to_fine_order(len(inds))].reshape(-1)
        return results


@TRANSFORMS.register_module()
class SampleGlanceFocusFrames(BaseTransform):
    """Samples the glance and focus frames of the TSM variant independently.

    The official Something-Something / Jester code feeds f_G ``num_glance`` and f_L
    ``num_focus`` TSN-segment-sampled frames of the same video (8 and 12; official code,
    Sth-Sth folder: main.py, `AdaFocus`, whose local TSN has int(1.5 x 8) segments). This runs
    mmaction2's ``SampleFrames`` once for each and concatenates the indices, glance first,
    which is the layout :class:`AdaFocusV2` expects with ``num_focus_frames`` set.

    Required keys: ``total_frames``, ``start_index``. Added keys: ``frame_inds``,
    ``clip_len``, ``frame_interval``, ``num_clips`` (glance + focus), ``num_glance_frames``.

    Args:
        num_glance (int): Frames for f_G. Defaults to 8.
        num_focus (int): Frames for f_L. Defaults to 12.
        test_mode (bool): Segment centres instead of random offsets. Defaults to False.
    """

    def __init__(self, num_glance: int = 8, num_focus: int = 12, test_mode: bool = False):
        self.num_glance = num_glance
        self.samplers = [SampleFrames(clip_len=1, num_clips=n, test_mode=test_mode)
                         for n in (num_glance, num_focus)]

    def transform(self, results: dict) -> dict:
        """Samples both frame sets.

        Args:
            results (dict): The pipeline's result dict.

        Returns:
            dict: ``results`` with the glance indices followed by the focus indices.
        """
        inds = [sampler.transform(dict(results))['frame_inds'] for sampler in self.samplers]
        results.update(frame_inds=np.concatenate(inds), clip_len=1, frame_interval=1,
                       num_clips=sum(len(i) for i in inds), num_glance_frames=self.num_glance)
        return results
