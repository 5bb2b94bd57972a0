"""Camera transforms of the embedded VSR clips: true optical flow and the files that hold it."""
from __future__ import annotations

import json
import os.path as osp

import numpy as np
from mmengine.fileio import list_from_file


def lr_pixel_to_hr(scale: int = 4) -> float:
    """Offset c such that LR pixel centre x lies at HR pixel coordinate ``scale * x + c``.

    Both degradations put LR pixel i at HR ``scale * i + (scale - 1) / 2`` (0-based pixel
    centres): the bicubic kernel is centred on the middle of each ``scale``-wide cell, and
    the BD script's even kernel is centred half a pixel after the sampled index 1.
    """
    return (scale - 1) / 2


def lr_flow(ref_matrix: np.ndarray, supp_matrix: np.ndarray, lr_shape: tuple[int, int],
            scale: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """True optical flow between two frames of a clip, in LR pixels (SPyNet's convention).

    ``flow[:, y, x] = (dx, dy)`` moves reference LR pixel (x, y) onto the same scene point in
    the supporting frame, so ``flow_warp(supp, flow.permute(0, 2, 3, 1)) ~= ref`` (what
    ``SPyNet(ref, supp)`` estimates in BasicVSR).

    Args:
        ref_matrix (np.ndarray): 2x3 matrix of the reference frame, GT pixel -> photo pixel.
        supp_matrix (np.ndarray): 2x3 matrix of the supporting frame.
        lr_shape (tuple[int, int]): (h, w) of the LR frames.
        scale (int): Upsampling factor between LR and GT. Defaults to 4.

    Returns:
        tuple[np.ndarray, np.ndarray]: float32 flow (2, h, w) and a bool mask (h, w) of the
        reference pixels whose scene point is inside the supporting frame.
    """
    h, w = lr_shape
    offset = lr_pixel_to_hr(scale)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    hr = np.stack([xs.ravel() * scale + offset, ys.ravel() * scale + offset])
    ref, supp = np.asarray(ref_matrix, np.float64), np.asarray(supp_matrix, np.float64)
    photo = ref[:, :2] @ hr + ref[:, 2:]
    hr_supp = np.linalg.solve(supp[:, :2], photo - supp[:, 2:])
    lr_supp = ((hr_supp - offset) / scale).reshape(2, h, w)
    flow = lr_supp - np.stack([xs, ys])
    valid = ((lr_supp[0] >= 0) & (lr_supp[0] <= w - 1) & (lr_supp[1] >= 0)
             & (lr_supp[1] <= h - 1))
    return flow.astype(np.float32), valid


def read_meta_info(path: str) -> dict[str, list[str]]:
    """{clip: [frame file, ...]} of a REDS-style meta-info file (``clip/frame.png (h, w, c)``)."""
    clips: dict[str, list[str]] = {}
    for line in list_from_file(path):
        if line.strip():
            clip, name = line.split(' ')[0].split('/')
            clips.setdefault(clip, []).append(name)
    return clips


def load_camera(root: str, clip: str) -> dict:
    """Reads ``ROOT/camera/{clip}.json`` (photo, split, scale, matrices as (T, 2, 3) array).

    Raises:
        FileNotFoundError: If the clip has no camera file (not an embedded VSR dataset).
    """
    path = osp.join(root, 'camera', f'{clip}.json')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path!r} not found: camera transforms exist only for '
                                'datasets written by EmbeddedVSRBuilder.')
    with open(path) as f:
        camera = json.load(f)
    camera['matrices'] = np.asarray(camera['matrices'], dtype=np.float64)
    return camera
