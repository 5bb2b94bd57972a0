"""PHORHUM evidence on held-out procedural humans: PHORHUM vs no rendering losses vs PIFu-style.

For each method and seed, ``run`` trains the tiny config with that seed and evaluates the
held-out subjects (``val``: shapes and photographs never seen in training):

* geometry, from marching-cubes meshes (``extract_mesh.py``): Chamfer distance in cm (world
  units of the scan layout; the mean of both directions between 10k points sampled on the
  mesh and the ground-truth surface samples), normal consistency (mean cosine between each
  point's normal and its nearest neighbour's on the other surface, both directions) and
  volumetric IoU (occupancy sign at the held-out space samples, uniform in the cube and near
  the surface);
* appearance, from sphere-traced renders of the implicit surface: PSNR/SSIM of albedo and
  shaded colour in the front (input) and back views (:class:`RenderMetric`). The PIFu-style
  baseline has one colour, the shaded one; its albedo rows compare that colour with the
  albedo, as the paper does for prior methods.

``summary`` gives mean ± sd over seeds and says where a gap to PHORHUM is inside the spread;
``figure`` draws the input, albedo and shaded renders from the front and back for a few
held-out subjects. Each ``run`` is one training, so that runs can be queued one at a time::

    for s in 0 1 2; do for m in phorhum no-render pifu; do
        OMP_NUM_THREADS=1 python projects/phorhum/tools/benchmark.py run --method $m \\
            --seed $s --work-dir work_dirs/phorhum_benchmark; done; done
    python projects/phorhum/tools/benchmark.py summary --work-dir work_dirs/phorhum_benchmark
    python projects/phorhum/tools/benchmark.py figure --work-dir work_dirs/phorhum_benchmark \\
        --out projects/phorhum/resources/benchmark.png
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import os.path as osp
import statistics
import sys

import numpy as np
import torch

REPO = osp.abspath(osp.join(osp.dirname(__file__), '../../..'))
sys.path.insert(0, REPO)

from projects.common.benchmark import (  # noqa: E402
    load_model,
    markdown_table,
    sibling_tool,
    write_report,
)

CONFIGS = osp.join(REPO, 'projects/phorhum/configs')
METHODS = {
    'phorhum': 'phorhum_unet-w16_1xb4-10e_tiny-procedural-humans.py',
    'no-render': 'phorhum-no-render_unet-w16_1xb4-10e_tiny-procedural-humans.py',
    'pifu': 'pifu-sdf_unet-w16_1xb4-10e_tiny-procedural-humans.py',
}
GEOMETRY = ('chamfer_cm', 'normal_consistency', 'iou', 'mask_front_iou')
APPEARANCE = tuple(f'{k}_{v}_{m}' for k in ('albedo', 'shaded') for v in ('front', 'back')
                   for m in ('psnr', 'ssim'))
HIGHER_IS_BETTER = {'chamfer_cm': False}


def _config(method: str, seed: int, epochs: int, work_dir: str):
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(CONFIGS, METHODS[method]))
    cfg.work_dir = work_dir
    cfg.randomness = dict(seed=seed)
    cfg.train_cfg.max_epochs = epochs
    cfg.train_cfg.val_interval = epochs
    cfg.param_scheduler[0].milestones = [int(epochs * 0.8)]
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=epochs,
                                        max_keep_ckpts=1)
    cfg.default_hooks.logger.interval = 16
    cfg.experiment_name = f'{method}_seed{seed}'
    return cfg


def mesh_metrics(mesh: dict, samples: dict, camera: dict, num_points: int = 10000
                 ) -> dict[str, float]:
    """Chamfer (cm) and normal consistency of one predicted mesh (``num_points`` points
    sampled on it) against a subject's ground-truth surface samples (world units, normalised
    with its camera). The spacing of the ground-truth samples sets a floor on the Chamfer
    distance, the same for every method."""
    import trimesh
    from scipy.spatial import cKDTree
    center, scale = np.asarray(camera['center']), float(camera['scale'])
    gt = (samples['surface_points'] - center) * scale
    gt_normals = samples['surface_normals']
    pred = trimesh.Trimesh(mesh['vertices'], mesh['faces'], process=False)
    verts, faces = trimesh.sample.sample_surface(pred, num_points, seed=0)
    normals = np.asarray(pred.face_normals)[faces]
    d_pred, i_pred = cKDTree(gt).query(verts)
    d_gt, i_gt = cKDTree(verts).query(gt)
    chamfer = 0.5 * (d_pred.mean() + d_gt.mean()) / scale * 100
    nc = 0.5 * ((normals * gt_normals[i_pred]).sum(1).mean()
                + (gt_normals * normals[i_gt]).sum(1).mean())
    return dict(chamfer_cm=float(chamfer), normal_consistency=float(nc))


def geometry(model, cfg, resolution: int) -> dict[str, float]:
    """Mean mesh metrics and IoU over the held-out subjects of ``cfg.test_dataloader``."""
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner
    extract = sibling_tool(__file__, 'extract_mesh')
    init_default_scope(cfg.default_scope)
    loader = Runner.build_dataloader(dict(copy.deepcopy(cfg.test_dataloader), batch_size=1))
    rows = []
    for batch in loader:
        data = model.data_preprocessor(batch, False)
        sample = data['data_samples'][0]
        root = loader.dataset.data_root
        samples = dict(np.load(osp.join(root, 'SAMPLES', f'{sample.subject}.npz')))
        camera = sample.camera
        space = (samples['space_points'] - np.asarray(camera['center'])) * camera['scale']
        with torch.no_grad():
            feats, _ = model.encode(data['inputs'])
            d, _ = model.query(torch.from_numpy(space).float()[None], feats)
        inside, pred = samples['space_inside'] > 0, d[0].numpy() < 0
        row = dict(iou=float((inside & pred).sum() / max((inside | pred).sum(), 1)))
        try:
            mesh = extract.reconstruct(model, data['inputs'], resolution)[0]
            row.update(mesh_metrics(mesh, samples, camera))
        except ValueError:  # no surface: the worst case for both metrics
            row.update(chamfer_cm=float('nan'), normal_consistency=0.0)
        rows.append(row)
    return {k: float(np.nanmean([r[k] for r in rows])) for k in rows[0]}


def run(method: str, seed: int, epochs: int, work_dir: str, resolution: int) -> dict:
    """Trains one method with one seed, evaluates it, writes ``{method}_seed{seed}.json``."""
    from mmengine.runner import Runner
    torch.set_num_threads(1)
    out = osp.join(work_dir, f'{method}_seed{seed}')
    cfg = _config(method, seed, epochs, out)
    runner = Runner.from_cfg(cfg)
    runner.train()
    # The validation after the last epoch (val_interval = epochs) is the held-out evaluation.
    hub = runner.message_hub
    metrics = {k.split('/')[-1]: float(hub.get_scalar(k).current())
               for k in hub.log_scalars if k.startswith('val/phorhum/')}
    model = load_model(cfg, osp.join(out, f'epoch_{epochs}.pth'))
    metrics.update(geometry(model, cfg, resolution))
    result = dict(method=method, seed=seed, epochs=epochs, metrics=metrics)
    with open(osp.join(work_dir, f'{method}_seed{seed}.json'), 'w') as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))
    return result


def summarise(results: list[dict]) -> tuple[dict, str]:
    """Mean ± sd per method over seeds; notes gaps to PHORHUM inside the larger spread."""
    by_method: dict[str, list[dict]] = {}
    for r in results:
        by_method.setdefault(r['method'], []).append(r['metrics'])
    numbers = {}
    for method, runs in by_method.items():
        numbers[method] = {}
        for key in (*GEOMETRY, *APPEARANCE):
            values = [m[key] for m in runs if key in m]
            sd = statistics.stdev(values) if len(values) > 1 else 0.0
            numbers[method][key] = dict(mean=statistics.fmean(values), sd=sd, n=len(values))
    methods = [m for m in METHODS if m in numbers]

    def cell(method, key):
        v = numbers[method][key]
        text = f"{v['mean']:.3f} ± {v['sd']:.3f}"
        ref = numbers.get('phorhum', {}).get(key)
        if method != 'phorhum' and ref and abs(v['mean'] - ref['mean']) <= max(v['sd'],
                                                                                ref['sd']):
            text += ' (inside spread)'
        return text

    lines = []
    for title, keys in (('Geometry', GEOMETRY), ('Appearance', APPEARANCE)):
        rows = [[key] + [cell(m, key) for m in methods] for key in keys]
        seeds = {m: numbers[m][keys[0]]['n'] for m in methods}
        lines += [f'### {title} (held-out subjects; seeds per method: {seeds})',
                  markdown_table(['metric', *methods], rows)]
    return numbers, '\n\n'.join(lines)


FIGURE_KEYS = ('pred_albedo', 'pred_albedo_back', 'pred_shaded', 'pred_shaded_back')


def figure(work_dir: str, out: str, num: int = 4, seed: int = 0, scale: int = 3) -> str:
    """Rows of held-out subjects: input, then per method the front/back albedo and shaded
    renders of its reconstruction (PIFu-style: its one colour), then the ground truth."""
    import cv2
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner
    torch.set_num_threads(1)
    methods = [m for m in METHODS if osp.isdir(osp.join(work_dir, f'{m}_seed{seed}'))]
    models = {}
    for m in methods:
        with open(osp.join(work_dir, f'{m}_seed{seed}.json')) as f:
            epochs = json.load(f)['epochs']
        cfg = _config(m, seed, epochs, osp.join(work_dir, f'{m}_seed{seed}'))
        models[m] = load_model(cfg, osp.join(cfg.work_dir, f'epoch_{epochs}.pth'))
    init_default_scope(cfg.default_scope)
    loader = Runner.build_dataloader(dict(copy.deepcopy(cfg.test_dataloader), batch_size=1))
    rows = []
    for i, batch in enumerate(loader):
        if i >= num:
            break
        tiles = [batch['inputs'][0].float() / 255]
        for m in methods:
            data = models[m].data_preprocessor(copy.deepcopy(batch), False)
            with torch.no_grad():
                sample = models[m].predict(data['inputs'], None)[0]
            tiles += [sample.get(k) for k in FIGURE_KEYS]
        gt = batch['data_samples'][0]
        tiles += [gt.get(k.replace('pred_', 'gt_')) for k in FIGURE_KEYS]
        rows.append(torch.cat([torch.nn.functional.pad(t, (1, 1, 1, 1), value=1.0)
                               for t in tiles], -1))
    image = torch.cat(rows, -2).permute(1, 2, 0).numpy()
    image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
    header = np.ones((24, image.shape[1], 3), np.float32)
    width = image.shape[1] / (1 + 4 * (len(methods) + 1))
    labels = ['input'] + [f'{m}: alb F/B, shd F/B' for m in methods] + ['GT: alb F/B, shd F/B']
    for j, label in enumerate(labels):
        x = int(width * (0 if j == 0 else 1 + 4 * (j - 1)) + 4)
        cv2.putText(header, label, (x, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1)
    image = np.concatenate([header, image], 0)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    cv2.imwrite(out, np.round(np.clip(image[..., ::-1], 0, 1) * 255).astype(np.uint8))
    print(f'written {out}')
    return out


def main(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True)
    p_run = sub.add_parser('run', help='train and evaluate one method with one seed')
    p_run.add_argument('--method', choices=sorted(METHODS), required=True)
    p_run.add_argument('--seed', type=int, default=0)
    p_run.add_argument('--epochs', type=int, default=20)
    p_run.add_argument('--resolution', type=int, default=64, help='marching-cubes grid')
    p_sum = sub.add_parser('summary', help='tables over the runs in --work-dir')
    p_sum.add_argument('--json', default=None, help='also write the report here')
    p_fig = sub.add_parser('figure', help='renders of held-out subjects')
    p_fig.add_argument('--out', required=True)
    p_fig.add_argument('--num', type=int, default=4)
    for p in (p_run, p_sum, p_fig):
        p.add_argument('--work-dir', default='work_dirs/phorhum_benchmark')
    args = parser.parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    if args.command == 'run':
        return run(args.method, args.seed, args.epochs, args.work_dir, args.resolution)
    if args.command == 'figure':
        return figure(args.work_dir, args.out, args.num)
    results = []
    for name in sorted(os.listdir(args.work_dir)):
        if name.endswith('.json') and '_seed' in name:
            with open(osp.join(args.work_dir, name)) as f:
                results.append(json.load(f))
    if not results:
        raise FileNotFoundError(f'no *_seed*.json runs in {args.work_dir!r}: use `run` first')
    numbers, text = summarise(results)
    write_report(numbers, args.json, text)
    return numbers


if __name__ == '__main__':
    main()
