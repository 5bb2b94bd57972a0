"""Frame pairs with ground-truth optical flow, for pre-training SPyNet without FlyingChairs.

TTVSR starts from a SPyNet pre-trained on optical-flow data (``spynet_pretrained`` in the
official configs ``configs/TTVSR_reds4.py`` and ``TTVSR_vimeo90k.py``), a checkpoint that
cannot be downloaded here. The embedded VSR clips (:mod:`projects.ttvsr.datasets.embedded_vsr`)
are rendered from known camera transforms, so the true flow between any two of their frames is
known exactly: these pairs stand in for FlyingChairs/Sintel.
"""
from __future__ import annotations

import os.path as osp
from collections.abc import Sequence

import numpy as np
import torch
from mmagic.registry import DATASETS, TRANSFORMS
from mmagic.structures import DataSample
from mmcv.transforms import BaseTransform
from mmengine.dataset import BaseDataset

from .camera import load_camera, lr_flow, read_meta_info


@DATASETS.register_module()
class FlowPairDataset(BaseDataset):
    """(reference, supporting) LR frame pairs of embedded VSR clips with their camera matrices.

    One sample per frame ``t`` and frame gap ``d`` of ``intervals`` with ``t + d`` inside
    the clip; the pipeline turns the two camera matrices into the true flow
    (:class:`GenerateCameraFlow`).

    Args:
        ann_file (str): A REDS-style meta-info file of the embedded dataset
            (``clip/frame.png (h, w, c)`` per line), relative to ``data_root``.
        data_root (str): Root of an :class:`EmbeddedVSRBuilder` dataset.
        lr_folder (str): Folder of the LR frames. Defaults to ``'BIx4'``.
        intervals (Sequence[int]): Frame gaps of the pairs; negative gaps pair a frame with
            an earlier one (the backward flows of BasicVSR). Defaults to ``(1, -1)``.
        **kwargs: Passed to :class:`mmengine.dataset.BaseDataset` (``pipeline``,
            ``test_mode``, ...).
    """

    def __init__(self,
                 ann_file: str,
                 data_root: str,
                 lr_folder: str = 'BIx4',
                 intervals: Sequence[int] = (1, -1),
                 **kwargs) -> None:
        if not intervals or 0 in intervals:
            raise ValueError(f'`intervals` must be non-zero frame gaps, got {intervals}.')
        self.lr_folder = lr_folder
        self.intervals = tuple(int(d) for d in intervals)
        super().__init__(ann_file=ann_file, data_root=data_root, **kwargs)

    def load_data_list(self) -> list[dict]:
        """Reads the meta-info file and the camera files into one entry per frame pair."""
        data_list = []
        for clip, names in read_meta_info(self.ann_file).items():
            matrices = load_camera(self.data_root, clip)['matrices']
            if len(matrices) < len(names):
                raise ValueError(f'{self.ann_file!r} lists {len(names)} frames of clip '
                                 f'{clip!r}, but its camera file has {len(matrices)}.')
            for t, name in enumerate(names):
                for d in self.intervals:
                    if not 0 <= t + d < len(names):
                        continue
                    data_list.append(dict(
                        key=f'{clip}/{t:08d}_{t + d:08d}',
                        img_path=[osp.join(self.data_root, self.lr_folder, clip, name),
                                  osp.join(self.data_root, self.lr_folder, clip,
                                           names[t + d])],
                        ref_matrix=matrices[t], supp_matrix=matrices[t + d]))
        return data_list


@TRANSFORMS.register_module()
class GenerateCameraFlow(BaseTransform):
    """Adds the true LR flow of a frame pair from its camera matrices.

    Required keys: ``img`` (list of the reference and supporting frames, (h, w, c)),
    ``ref_matrix``, ``supp_matrix``. Added keys: ``gt_flow`` (2, h, w) float32 in LR pixels,
    ``flow_valid`` (h, w) bool, where the reference pixel's scene point is inside the
    supporting frame (elsewhere no flow is observable).

    Args:
        scale (int): Factor between the GT frames the matrices refer to and the LR frames.
            Defaults to 4.
    """

    def __init__(self, scale: int = 4) -> None:
        self.scale = scale

    def transform(self, results: dict) -> dict:
        h, w = results['img'][0].shape[:2]
        results['gt_flow'], results['flow_valid'] = lr_flow(
            results['ref_matrix'], results['supp_matrix'], (h, w), self.scale)
        return results


@TRANSFORMS.register_module()
class FlowAugment(BaseTransform):
    """Random flips, transposition and photometric changes of a pair and its true flow.

    The embedded clips come from a dozen training photographs; without augmentation SPyNet
    learns their textures and predicts worse than "no motion" on unseen ones. The geometric
    changes move the flow with the pixels: a horizontal flip mirrors the field and negates
    dx, a vertical flip negates dy, a transposition swaps the axes and (dx, dy). The
    photometric ones (one random gain, bias and gamma per channel, a random channel order,
    grey with probability ``grey_ratio``) are the same for both frames, so the flow is
    unchanged.

    Required keys: ``img`` (two (h, w, 3) uint8 frames), ``gt_flow``, ``flow_valid``
    (from :class:`GenerateCameraFlow`). Modified keys: the same.

    Args:
        flip_ratio (float): Probability of each flip and of the transposition.
            Defaults to 0.5.
        grey_ratio (float): Probability of turning both frames grey. Defaults to 0.2.
        gain (tuple[float, float]): Range of the per-channel contrast factor.
            Defaults to (0.7, 1.3).
        bias (tuple[float, float]): Range of the per-channel offset, in [0, 1] units.
            Defaults to (-0.1, 0.1).
        gamma (tuple[float, float]): Range of the per-channel gamma. Defaults to (0.7, 1.4).
    """

    def __init__(self, flip_ratio: float = 0.5, grey_ratio: float = 0.2,
                 gain: tuple[float, float] = (0.7, 1.3),
                 bias: tuple[float, float] = (-0.1, 0.1),
                 gamma: tuple[float, float] = (0.7, 1.4)) -> None:
        self.flip_ratio = flip_ratio
        self.grey_ratio = grey_ratio
        self.gain, self.bias, self.gamma = tuple(gain), tuple(bias), tuple(gamma)

    def transform(self, results: dict) -> dict:
        frames = [np.asarray(f, np.float32) / 255.0 for f in results['img']]
        flow = np.array(results['gt_flow'], np.float32)
        valid = np.array(results['flow_valid'])
        if np.random.rand() < self.flip_ratio:  # left-right: x -> w-1-x, dx -> -dx
            frames = [f[:, ::-1] for f in frames]
            flow, valid = flow[:, :, ::-1] * np.array([-1, 1], np.float32)[:, None, None], \
                valid[:, ::-1]
        if np.random.rand() < self.flip_ratio:  # up-down: y -> h-1-y, dy -> -dy
            frames = [f[::-1] for f in frames]
            flow, valid = flow[:, ::-1] * np.array([1, -1], np.float32)[:, None, None], \
                valid[::-1]
        if np.random.rand() < self.flip_ratio:  # transpose: (x, y) -> (y, x)
            frames = [f.transpose(1, 0, 2) for f in frames]
            flow, valid = flow[::-1].transpose(0, 2, 1), valid.T
        channels = np.random.permutation(3)
        gain = np.random.uniform(*self.gain, size=3)
        bias = np.random.uniform(*self.bias, size=3)
        gamma = np.random.uniform(*self.gamma, size=3)
        grey = np.random.rand() < self.grey_ratio
        if grey:  # one curve for all channels, so that grey frames stay grey
            gain, bias, gamma = gain[:1], bias[:1], gamma[:1]
        out = []
        for frame in frames:
            frame = frame[..., channels]
            if grey:
                frame = np.repeat(frame.mean(-1, keepdims=True), 3, axis=-1)
            frame = np.clip(frame * gain + bias, 0, 1) ** gamma
            out.append(np.clip(frame * 255.0 + 0.5, 0, 255).astype(np.uint8))
        results['img'] = out
        results['gt_flow'] = np.ascontiguousarray(flow)
        results['flow_valid'] = np.ascontiguousarray(valid)
        return results


@TRANSFORMS.register_module()
class PackFlowInputs(BaseTransform):
    """Packs a frame pair as ``inputs`` (2, 3, h, w) float in [0, 1] and its flow sample.

    The data sample is an mmagic :class:`DataSample` with ``gt_flow`` (2, h, w),
    ``flow_valid`` (h, w) and the metainfo ``key``.
    """

    def transform(self, results: dict) -> dict:
        frames = np.stack(results['img']).astype(np.float32) / 255.0
        inputs = torch.from_numpy(frames).permute(0, 3, 1, 2).contiguous()
        sample = DataSample(metainfo=dict(key=results['key']))
        sample.gt_flow = torch.from_numpy(results['gt_flow'])
        sample.flow_valid = torch.from_numpy(results['flow_valid'])
        return dict(inputs=inputs, data_samples=sample)
