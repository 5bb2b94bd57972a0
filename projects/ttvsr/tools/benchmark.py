"""TTVSR evidence on held-out embedded clips: quality against bicubic and the baselines.

Evaluates, on the test clips of the embedded VSR dataset named by the first model's config
(photographs never seen in training), PSNR and SSIM on the Y channel (uint8 frames, no border
crop, averaged per clip then over clips, as mmagic's metrics do) of:

1. MATLAB-like bicubic x4 upsampling of the LR frames (mmagic's ``MATLABLikeResize``);
2. every model given with ``--model NAME CONFIG CHECKPOINT`` (the single-frame network,
   mmagic's BasicVSR and TTVSR of the tiny configs), each running a whole clip in one pass;
3. the same for the first L frames of each clip, for every L of ``--lengths`` (0 = the whole
   clip): how the gain of the recurrent models grows with the sequence length; and the PSNR
   per frame index of the whole-clip pass;
4. a side-by-side image (LR bicubic | each model | GT) of one test frame, drawn by an mmengine
   ``Visualizer`` into ``WORK_DIR/vis_data/vis_image/side_by_side_0.png``.

Results go to ``WORK_DIR/benchmark.json``. Example (the README's numbers)::

    python projects/ttvsr/tools/benchmark.py \\
        --model single-frame CONFIG CHECKPOINT --model BasicVSR CONFIG CHECKPOINT \\
        --model TTVSR CONFIG CHECKPOINT --work-dir work_dirs/ttvsr_benchmark
"""
from __future__ import annotations

import argparse
import os
import os.path as osp
import sys
import uuid

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402

import projects.ttvsr  # noqa: E402,F401  (registers the models; compatibility fixes)
from projects.common import benchmark as harness  # noqa: E402
from projects.common.config import REPO_ROOT, absolute  # noqa: E402
from projects.common.datasets.builder import build_embedded_data  # noqa: E402
from projects.ttvsr.datasets.camera import read_meta_info  # noqa: E402
from projects.ttvsr.datasets.degradations import matlab_resize  # noqa: E402

SCALE = 4


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--model', nargs=3, action='append', required=True,
                        metavar=('NAME', 'CONFIG', 'CHECKPOINT'),
                        help='a trained model; repeat for each (first one names the data)')
    parser.add_argument('--lengths', type=int, nargs='+', default=[5, 10, 20, 0],
                        help='clip lengths to evaluate (first L frames; 0 = whole clip)')
    parser.add_argument('--work-dir', default='work_dirs/ttvsr_benchmark')
    parser.add_argument('--device', default='cpu')
    return parser.parse_args(argv)


def test_clips(cfg: Config) -> tuple[str, str, dict[str, list[str]]]:
    """(data root, LR folder, {clip: frame files}) of the config's test set, built if needed."""
    dataset = cfg.test_dataloader.dataset
    if dataset.type == 'EmbeddedDataset':
        build_embedded_data(dataset.builder)
        dataset = dataset.dataset
    root = osp.join(REPO_ROOT, dataset.data_root)
    return root, dataset.data_prefix['img'], read_meta_info(osp.join(root, dataset.ann_file))


def read_frames(folder: str, names: list[str]) -> np.ndarray:
    """(t, h, w, 3) uint8 RGB frames."""
    frames = []
    for name in names:
        path = osp.join(folder, name)
        image = cv2.imread(path)
        if image is None:
            raise FileNotFoundError(f'{path!r}: missing or unreadable frame.')
        frames.append(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    return np.stack(frames)


def bicubic(lrs: np.ndarray) -> np.ndarray:
    """MATLAB-like bicubic x4 upsampling of (t, h, w, 3) uint8 frames."""
    return np.stack([matlab_resize(f, SCALE) for f in lrs])


@torch.no_grad()
def super_resolve(model: torch.nn.Module, lrs: np.ndarray, device: str) -> np.ndarray:
    """Runs the editor's network on a whole (t, h, w, 3) uint8 clip in one pass.

    The editor's ``forward_tensor`` is its generator on [0, 1] frames (the data preprocessor
    divides by 255); outputs are clipped and rounded to uint8 as ``tensor2img`` does.
    """
    x = torch.from_numpy(lrs).permute(0, 3, 1, 2).float().div(255).unsqueeze(0).to(device)
    out = model.forward_tensor(x)[0].clamp(0, 1).mul(255).round().byte()
    return out.permute(0, 2, 3, 1).cpu().numpy()


def frame_scores(pred: np.ndarray, gt: np.ndarray) -> tuple[list[float], list[float]]:
    """Per-frame PSNR and SSIM on Y (mmagic's functions, no border crop)."""
    from mmagic.evaluation.metrics.psnr import psnr
    from mmagic.evaluation.metrics.ssim import ssim
    p = [psnr(a, b, crop_border=0, convert_to='Y') for a, b in zip(pred, gt, strict=True)]
    s = [ssim(a, b, crop_border=0, convert_to='Y') for a, b in zip(pred, gt, strict=True)]
    return p, s


def side_by_side(columns: dict[str, np.ndarray], work_dir: str) -> str:
    """Draws the labelled frames side by side with an mmengine Visualizer; returns the path."""
    from mmengine.visualization import Visualizer
    zoom = 2  # small frames: enlarge (nearest) so that the detail is visible
    tiles = [cv2.resize(img, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_NEAREST)
             for img in columns.values()]
    canvas = np.concatenate(tiles, axis=1)
    visualizer = Visualizer(name=f'ttvsr_benchmark_{uuid.uuid4().hex[:8]}',
                            vis_backends=[dict(type='LocalVisBackend')],
                            save_dir=work_dir)
    visualizer.set_image(canvas)
    width = tiles[0].shape[1]
    visualizer.draw_texts(list(columns), np.array([[i * width + 4, 4] for i in range(len(tiles))]),
                          colors='yellow', font_sizes=10, vertical_alignments='top')
    visualizer.add_image('side_by_side', visualizer.get_image())
    return osp.join(work_dir, 'vis_data', 'vis_image', 'side_by_side_0.png')


def evaluate(predict, clips: dict[str, tuple[np.ndarray, np.ndarray]],
             lengths: list[int]) -> dict:
    """Scores ``predict`` (LR clip -> SR clip) on every clip, for each length.

    Returns:
        dict: ``by_length`` {L: {psnr_y, ssim_y}} (per-clip means averaged over clips; L = 0
        is the whole clip) and ``psnr_y_per_frame`` of the whole-clip pass (mean over clips).
    """
    by_length, per_frame = {}, []
    for length in lengths:
        psnrs, ssims = [], []
        for lrs, gts in clips.values():
            count = len(lrs) if length == 0 else min(length, len(lrs))
            p, s = frame_scores(predict(lrs[:count]), gts[:count])
            psnrs.append(np.mean(p))
            ssims.append(np.mean(s))
            if length == 0:
                per_frame.append(p)
        by_length[str(length)] = dict(psnr_y=float(np.mean(psnrs)),
                                      ssim_y=float(np.mean(ssims)))
    if per_frame:
        shortest = min(len(p) for p in per_frame)
        per_frame = np.mean([p[:shortest] for p in per_frame], axis=0).tolist()
    return dict(by_length=by_length, psnr_y_per_frame=per_frame)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    work_dir = absolute(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    root, lr_folder, names = test_clips(Config.fromfile(absolute(args.model[0][1])))
    clips = {clip: (read_frames(osp.join(root, lr_folder, clip), frames),
                    read_frames(osp.join(root, 'GT', clip), frames))
             for clip, frames in names.items()}

    results = dict(data=dict(root=root, lr_folder=lr_folder, clips=len(clips),
                             frames=[len(f) for f in names.values()]),
                   lengths=args.lengths, methods={})
    results['methods']['bicubic'] = evaluate(bicubic, clips, args.lengths)
    first_clip = next(iter(clips))
    lrs, gts = clips[first_clip]
    columns = {'LR bicubic': bicubic(lrs)[-1]}
    for name, config, checkpoint in args.model:
        model = harness.load_model(absolute(config), absolute(checkpoint), args.device)
        results['methods'][name] = evaluate(
            lambda x, m=model: super_resolve(m, x, args.device), clips, args.lengths)
        columns[name] = super_resolve(model, lrs, args.device)[-1]
    columns['GT'] = gts[-1]
    results['side_by_side'] = side_by_side(columns, work_dir)
    results['side_by_side_frame'] = f'{first_clip}/{names[first_clip][-1]}'
    harness.write_report(results, osp.join(work_dir, 'benchmark.json'), report(results),
                         [results['side_by_side']])
    return results


def report(results: dict) -> str:
    """PSNR-Y/SSIM-Y per method and length, and the gain over bicubic, in markdown."""
    lengths = [str(length) for length in results['lengths']]
    base = results['methods']['bicubic']['by_length']
    rows = []
    for name, method in results['methods'].items():
        cells = []
        for length in lengths:
            row = method['by_length'][length]
            gain = row['psnr_y'] - base[length]['psnr_y']
            cells.append(f'{row["psnr_y"]:.2f} / {row["ssim_y"]:.4f} ({gain:+.2f})')
        rows.append([name, *cells])
    heads = [f'L={"all" if length == "0" else length}' for length in lengths]
    return (harness.markdown_table(['method', *heads], rows)
            + f'\nside by side: {results["side_by_side"]}')


if __name__ == '__main__':
    main()
