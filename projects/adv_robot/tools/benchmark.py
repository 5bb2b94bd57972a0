"""Benchmark: nominal vs adversarial vs closed-loop performance of every training method.

For each task (``lane-keeping``: steering regression, error = MAE of the command in [-1, 1];
``gestures``: 10-way classification, error = 100 - top-1 %) and each method of the tiny
configs, one run trains the model on the embedded data with the given seed, then measures on
the held-out test split the nominal error and the adversarial error under L∞ PGD (10 steps,
random start) at several ε; for lane keeping it also drives the policy in closed loop,
nominally and with every camera image attacked (``closed_loop.py``).

One call trains one seed of one task (each well under ten minutes on one core); ``--report``
gathers the JSON files of all seeds into the table (mean ± sd over seeds), the trade-off
plot and the paper's comparison (Lechner et al., RA-L 2023, abstract): the relative loss of
nominal performance against the relative gain of robustness, per method, vs standard training.

Example::

    python projects/adv_robot/tools/benchmark.py --task lane-keeping --seed 0 \\
        --work-dir work_dirs/adv_robot_bench
    python projects/adv_robot/tools/benchmark.py --report --work-dir work_dirs/adv_robot_bench \\
        --plot projects/adv_robot/tradeoff.png
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import os.path as osp
import statistics
import sys
import uuid

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), *[osp.pardir] * 3)))

CONFIG_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'configs')
TASKS = {
    'lane-keeping': dict(methods=('standard', 'pgd_at', 'trades', 'ibp'),
                         eps=(1 / 255, 2 / 255, 4 / 255), train_eps=2 / 255,
                         metric='regression/mae', unit='MAE'),
    'gestures': dict(methods=('standard', 'pgd_at', 'trades', 'mart', 'ibp'),
                     eps=(2 / 255, 4 / 255, 8 / 255), train_eps=4 / 255,
                     metric='accuracy/top1', unit='error %'),
}


def config_path(task: str, method: str) -> str:
    return osp.join(CONFIG_DIR, f"{method.replace('_', '-')}_convnet_1xb64-10e_tiny-{task}.py")


def error(task: str, metrics: dict) -> float:
    value = metrics[TASKS[task]['metric']]
    return 100.0 - value if task == 'gestures' else value


def point_at(cfg, root: str) -> None:
    """Points the three dataloaders' embedded data at ``root`` (shared by all runs)."""
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[name].dataset.builder.root = root
        cfg[name].dataset.dataset.data_root = root


def run_method(task: str, method: str, seed: int, work_dir: str, epochs: int,
               episodes: int) -> dict:
    """Trains one method with one seed and measures it (see the module docstring)."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    from mmpretrain.registry import MODELS
    cfg = Config.fromfile(config_path(task, method))
    point_at(cfg, osp.join(work_dir, 'data', task))
    cfg.work_dir = osp.join(work_dir, task, f'seed{seed}', method)
    cfg.experiment_name = f'{task}_{method}_{seed}_{uuid.uuid4().hex[:6]}'
    cfg.randomness = dict(seed=seed)
    cfg.train_cfg.max_epochs = epochs
    cfg.train_cfg.val_interval = epochs
    cfg.param_scheduler = dict(type='CosineAnnealingLR', T_max=epochs, by_epoch=True, begin=0,
                               end=epochs)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=epochs,
                                        max_keep_ckpts=1)
    cfg.default_hooks.logger.interval = 50
    cfg.visualizer.vis_backends = []
    runner = Runner.from_cfg(cfg)
    runner.train()
    model = runner.model.eval()
    result = dict(nominal=error(task, runner.test()), adversarial={})
    for eps in TASKS[task]['eps']:
        model.test_attack = MODELS.build(dict(type='PGD', eps=eps, steps=10, norm='linf'))
        result['adversarial'][f'{eps:.4f}'] = error(task, runner.test())
    model.test_attack = None
    if task == 'lane-keeping':
        from closed_loop import evaluate_closed_loop
        result['closed_loop'] = evaluate_closed_loop(
            model, (0.0, TASKS[task]['train_eps']), episodes=episodes)
    return result


def run(task: str, seed: int, work_dir: str, epochs: int, episodes: int,
        methods=None) -> str:
    """Runs every method of ``task`` with ``seed``; writes and returns the JSON file."""
    import torch
    torch.set_num_threads(1)
    results = dict(task=task, seed=seed, epochs=epochs, methods={})
    for method in methods or TASKS[task]['methods']:
        results['methods'][method] = run_method(task, method, seed, work_dir, epochs, episodes)
        print(method, json.dumps(results['methods'][method]))
    path = osp.join(work_dir, f'{task}_seed{seed}.json')
    os.makedirs(work_dir, exist_ok=True)
    with open(path, 'w') as f:
        json.dump(results, f, indent=2)
    return path


def mean_sd(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def fmt(values: list[float], digits: int = 3) -> str:
    mean, sd = mean_sd(values)
    return f'{mean:.{digits}f} ± {sd:.{digits}f}'


def gather(work_dir: str) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {}
    for path in sorted(glob.glob(osp.join(work_dir, '*_seed*.json'))):
        with open(path) as f:
            data = json.load(f)
        runs.setdefault(data['task'], []).append(data)
    return runs


def tradeoff(task: str, runs: list[dict], method: str) -> tuple[float, float]:
    """Relative change vs standard training (mean over seeds) of the nominal error (cost,
    positive when worse) and of the adversarial error at the training ε (gain, positive when
    better)."""
    eps = f"{TASKS[task]['train_eps']:.4f}"
    nominal = {m: statistics.fmean(r['methods'][m]['nominal'] for r in runs)
               for m in ('standard', method)}
    adv = {m: statistics.fmean(r['methods'][m]['adversarial'][eps] for r in runs)
           for m in ('standard', method)}
    cost = (nominal[method] - nominal['standard']) / nominal['standard']
    gain = (adv['standard'] - adv[method]) / adv['standard']
    return cost, gain


def report(work_dir: str, plot: str | None) -> str:
    from projects.common.benchmark import markdown_table
    runs = gather(work_dir)
    if not runs:
        raise FileNotFoundError(f'no *_seed*.json results in {work_dir!r}: run the tasks first.')
    sections = []
    for task, task_runs in runs.items():
        spec = TASKS[task]
        methods = [m for m in spec['methods'] if all(m in r['methods'] for r in task_runs)]
        eps_keys = [f'{e:.4f}' for e in spec['eps']]
        columns = ['method', f"nominal {spec['unit']}"] + [
            f"PGD ε={float(k) * 255:.0f}/255" for k in eps_keys]
        if task == 'lane-keeping':
            columns += ['crash rate (nominal)', 'crash rate (attacked)', 'deviation m (nominal)',
                        'deviation m (attacked)', 'distance m (attacked)']
        columns += ['nominal cost', 'robustness gain']
        rows = []
        for method in methods:
            per = [r['methods'][method] for r in task_runs]
            row = [method, fmt([p['nominal'] for p in per])]
            row += [fmt([p['adversarial'][k] for p in per]) for k in eps_keys]
            if task == 'lane-keeping':
                nominal_key, attacked_key = '0.0000', f"{spec['train_eps']:.4f}"
                for key, field in ((nominal_key, 'crash_rate'), (attacked_key, 'crash_rate'),
                                   (nominal_key, 'deviation'), (attacked_key, 'deviation'),
                                   (attacked_key, 'distance')):
                    row.append(fmt([p['closed_loop'][key][field] for p in per], 2))
            if method == 'standard':
                row += ['—', '—']
            else:
                cost, gain = tradeoff(task, task_runs, method)
                row += [f'{100 * cost:+.0f} %', f'{100 * gain:+.0f} %']
            rows.append(row)
        seeds = sorted(r['seed'] for r in task_runs)
        sections.append(f"### {task} (seeds {seeds}, {task_runs[0]['epochs']} epochs, "
                        f"adversarial error at the training ε = "
                        f"{spec['train_eps'] * 255:.0f}/255 for the trade-off)\n\n"
                        + markdown_table(columns, rows))
    text = '\n\n'.join(sections)
    print(text)
    if plot:
        draw(runs, plot)
        print(f'plot written to {plot}')
    return text


def draw(runs: dict[str, list[dict]], path: str) -> None:
    """Nominal error vs adversarial error at the training ε, one panel per task."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(runs), figsize=(5 * len(runs), 4), squeeze=False)
    for ax, (task, task_runs) in zip(axes[0], runs.items(), strict=True):
        spec = TASKS[task]
        eps = f"{spec['train_eps']:.4f}"
        for method in spec['methods']:
            if not all(method in r['methods'] for r in task_runs):
                continue
            nominal = mean_sd([r['methods'][method]['nominal'] for r in task_runs])
            adv = mean_sd([r['methods'][method]['adversarial'][eps] for r in task_runs])
            ax.errorbar(nominal[0], adv[0], xerr=nominal[1], yerr=adv[1], fmt='o', capsize=3,
                        label=method)
        ax.set_xlabel(f"nominal {spec['unit']}")
        ax.set_ylabel(f"PGD-10 {spec['unit']} at ε={spec['train_eps'] * 255:.0f}/255")
        ax.set_title(task)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--task', choices=sorted(TASKS))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--methods', nargs='+', help='a subset of the task\'s methods')
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--episodes', type=int, default=8, help='closed-loop episodes')
    parser.add_argument('--work-dir', default='work_dirs/adv_robot_benchmark')
    parser.add_argument('--report', action='store_true', help='gather all seeds\' results')
    parser.add_argument('--plot', help='with --report: write the trade-off plot here')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    import projects  # noqa: F401  (compatibility fixes, as tools/train.py)
    if args.report:
        report(args.work_dir, args.plot)
        return
    if args.task is None:
        raise SystemExit('give --task (or --report)')
    import projects.adv_robot.datasets.embedded_gestures  # noqa: F401
    import projects.adv_robot.datasets.embedded_lane_keeping  # noqa: F401
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    print(run(args.task, args.seed, args.work_dir, args.epochs, args.episodes, args.methods))


if __name__ == '__main__':
    main()
