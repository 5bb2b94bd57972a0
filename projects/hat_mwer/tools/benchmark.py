"""HAT + LM fusion + (LM-aware) MWER on the embedded rare-word speech corpus.

Stages (each run under ``flock /work/train.lock`` and ~10 min on one core; split by seed):

``--seed S``: for one seed,
  1. train the NLL HAT (``hat_lstm-h128_...``), then on the test split (unseen voices, mostly
     rare-word contexts) decode: no LM; shallow fusion with (lambda, beta) swept on the dev
     split (KN 8-gram LM);
  2. fine-tune with standard MWER and with LM-aware MWER from that model (same epochs, same
     lr; LM-aware uses the swept weights), decode both with the swept fusion weights;
  3. rescoring the no-LM N-best of the standard-MWER model: fixed weights swept on dev vs the
     learned per-token fusion weights (FusionWeightModule trained with MWER, HAT and LM
     frozen).
  Results go to ``WORK/seed{S}.json``.

``--seed S --nll-only`` runs step 1's training alone (a held run of its own); a later
``--seed S`` reuses its checkpoint.

``--report``: mean and spread over the seeds found (and whether gaps exceed the spread) to
``WORK/benchmark.{json,md}``.

``--loss-cost``: time and backward memory of the vectorised transducer loss vs the per-node
loop and the alignment enumeration (ratios from one run), and the loss's share of a step.

Usage::

    OMP_NUM_THREADS=1 flock /work/train.lock python projects/hat_mwer/tools/benchmark.py --seed 0
    python projects/hat_mwer/tools/benchmark.py --report
"""
from __future__ import annotations

import argparse
import glob
import itertools
import json
import os
import os.path as osp
import statistics
import sys
import time

import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
sys.path.insert(0, REPO)

import projects  # noqa: E402,F401  (environment fixes)
from projects.common.benchmark import (  # noqa: E402
    load_model,
    markdown_table,
    time_side_by_side,
    write_report,
)
from projects.common.config import load_config  # noqa: E402

CFG = osp.join(REPO, 'projects/hat_mwer/configs')
NLL = f'{CFG}/hat_lstm-h128_1xb16-30e_tiny-espeak-rare-words.py'
SF = f'{CFG}/hat-sf_lstm-h128_1xb16-30e_tiny-espeak-rare-words.py'
MWER = f'{CFG}/hat-mwer_lstm-h128_1xb16-4e_tiny-espeak-rare-words.py'
LM_AWARE = f'{CFG}/hat-lm-aware-mwer_lstm-h128_1xb16-4e_tiny-espeak-rare-words.py'
RESCORE = f'{CFG}/hat-fusion-rescore_lstm-h128_1xb16-4e_tiny-espeak-rare-words.py'
LM_WEIGHTS = (0.0, 0.2, 0.4, 0.6, 0.8)
ILM_WEIGHTS = (0.0, 0.2)
ROWS = ('no_lm', 'shallow_fusion', 'mwer_sf', 'lm_aware_mwer_sf', 'rescore_fixed_swept',
        'rescore_learned')


# Set by --data-root / --utterances: where the embedded corpus lives and its size.
DATA: dict = {}


def config(path: str):
    """A config with the embedded corpus moved to ``DATA['root']`` (and resized)."""
    cfg = load_config(path)
    if not DATA:
        return cfg
    old = cfg.data_root

    def move(node):
        if isinstance(node, str):
            return DATA['root'] + node[len(old):] if node.startswith(old) else node
        if isinstance(node, dict):
            out = {k: move(v) for k, v in node.items()}
            if out.get('type') == 'ESpeakRareWordsBuilder' and DATA.get('utterances'):
                out['utterances'] = DATA['utterances']
            return out
        if isinstance(node, (list, tuple)):
            return type(node)(move(v) for v in node)
        return node

    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key] = move(cfg[key].to_dict())
    return cfg


def train(config_path: str, work_dir: str, seed: int, **overrides) -> str:
    """Trains ``config`` with the runner; returns the last checkpoint."""
    from mmengine.runner import Runner
    cfg = config(config_path)
    cfg.work_dir = work_dir
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.merge_from_dict(overrides)
    # Every 5 epochs too, so that a run stopped by its time limit leaves a model behind.
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=5, max_keep_ckpts=1,
                                        save_last=True)
    cfg.train_cfg.val_interval = 10 ** 6
    runner = Runner.from_cfg(cfg)
    runner.train()
    return osp.join(work_dir, f'epoch_{cfg.train_cfg.max_epochs}.pth')


def encoded_batches(model, config_path: str, split: str):
    """(encoder outputs, lengths, references) per batch of ``split``, computed once."""
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner
    cfg = config(config_path)
    init_default_scope('hat_mwer')
    loader = Runner.build_dataloader(cfg[f'{split}_dataloader'])
    out = []
    with torch.no_grad():
        for batch in loader:
            data = model.data_preprocessor(batch, False)
            enc, lengths = model.encode(data['inputs'], data['data_samples'])
            out.append((enc, lengths, [s.gt_text for s in data['data_samples']]))
    return out


def wer(model, batches, rare_words, **decode) -> dict[str, float]:
    from projects.hat_mwer.evaluation import WERMetric
    metric = WERMetric(rare_words=rare_words)
    results = []
    for enc, lengths, refs in batches:
        for seq, ref in zip(model.decode(enc, lengths, **decode), refs, strict=True):
            results.append((ref, model.tokenizer.decode(seq)))
    return metric.compute_metrics(results)


def sweep(model, dev, rare_words, **extra) -> tuple[dict, list]:
    """Best (lambda, beta) on dev by WER; all points."""
    points = []
    for lam, beta in itertools.product(LM_WEIGHTS, ILM_WEIGHTS):
        if lam == 0 and beta:
            continue
        m = wer(model, dev, rare_words, lm_weight=lam, ilm_weight=beta, **extra)
        points.append(dict(lm_weight=lam, ilm_weight=beta, **m))
    best = min(points, key=lambda p: (p['wer'], p['rare_wer']))
    return dict(lm_weight=best['lm_weight'], ilm_weight=best['ilm_weight']), points


def run_seed(seed: int, work: str, nll_epochs: int, mwer_epochs: int,
             nll_only: bool = False) -> dict:
    torch.manual_seed(seed)
    rare = load_config(NLL).rare_words
    res: dict = dict(seed=seed)
    t0 = time.time()
    nll_ckpt = osp.join(work, f'seed{seed}', 'nll', f'epoch_{nll_epochs}.pth')
    if not osp.isfile(nll_ckpt) and not nll_only:
        # A shorter run (stopped by its time limit): its last checkpoint.
        found = sorted(glob.glob(osp.join(work, f'seed{seed}', 'nll', 'epoch_*.pth')),
                       key=lambda p: int(p.rsplit('_', 1)[1][:-4]))
        nll_ckpt = found[-1] if found else nll_ckpt
    if not osp.isfile(nll_ckpt):
        nll_ckpt = train(NLL, osp.join(work, f'seed{seed}', 'nll'), seed,
                         train_cfg=dict(max_epochs=nll_epochs))
    res['time_nll_s'] = time.time() - t0
    if nll_only:
        return res
    model = load_model(SF, nll_ckpt)
    dev, test = encoded_batches(model, SF, 'val'), encoded_batches(model, SF, 'test')
    res['no_lm'] = wer(model, test, rare, lm_weight=0.0, ilm_weight=0.0)
    best, res['sweep_dev'] = sweep(model, dev, rare)
    res['swept_weights'] = best
    res['shallow_fusion'] = wer(model, test, rare, **best)
    lam = max(best['lm_weight'], 0.2)  # LM-aware MWER needs the LM in its scores
    for name, config, extra in (
            ('mwer', MWER, {}),
            ('lm_aware_mwer', LM_AWARE, dict(lm_weight=lam, ilm_weight=best['ilm_weight']))):
        ckpt = train(config, osp.join(work, f'seed{seed}', name), seed, load_from=nll_ckpt,
                     train_cfg=dict(max_epochs=mwer_epochs), model=dict(mwer=extra))
        m = load_model(SF, ckpt)
        test_m = encoded_batches(m, SF, 'test')
        res[f'{name}_no_lm'] = wer(m, test_m, rare, lm_weight=0.0, ilm_weight=0.0)
        res[f'{name}_sf'] = wer(m, test_m, rare, **best)
        res[f'{name}_ckpt'] = ckpt
    # Rescoring the standard-MWER model's no-LM N-best: swept fixed weights vs learned ones.
    m = load_model(SF, res['mwer_ckpt'])
    dev_m, test_m = encoded_batches(m, SF, 'val'), encoded_batches(m, SF, 'test')
    best_r, res['sweep_rescore_dev'] = sweep(m, dev_m, rare, rescore='fixed')
    res['rescore_weights'] = best_r
    res['rescore_fixed_swept'] = wer(m, test_m, rare, rescore='fixed', **best_r)
    ckpt = train(RESCORE, osp.join(work, f'seed{seed}', 'rescore'), seed,
                 load_from=res['mwer_ckpt'], train_cfg=dict(max_epochs=mwer_epochs))
    m = load_model(RESCORE, ckpt)
    test_m = encoded_batches(m, SF, 'test')
    res['rescore_learned'] = wer(m, test_m, rare, rescore='learned')
    res['time_total_s'] = time.time() - t0
    return res


def report(work: str) -> None:
    runs = []
    for name in sorted(os.listdir(work)):
        if name.startswith('seed') and name.endswith('.json'):
            with open(osp.join(work, name)) as f:
                runs.append(json.load(f))
    if not runs:
        raise FileNotFoundError(f'no seed*.json in {work}: run --seed S first.')
    stats, rows = {}, []
    for row in ROWS:
        for key in ('wer', 'rare_wer'):
            vals = [r[row][key] for r in runs if row in r]
            mean = statistics.mean(vals)
            sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
            stats[f'{row}/{key}'] = dict(mean=mean, sd=sd, values=vals)
        rows.append([row, len([r for r in runs if row in r]),
                     '{mean:.2f} ± {sd:.2f}'.format(**stats[f'{row}/wer']),
                     '{mean:.2f} ± {sd:.2f}'.format(**stats[f'{row}/rare_wer'])])
    text = markdown_table(['system (test split)', 'seeds', 'WER %', 'rare-word WER %'], rows)

    def gap(a, b, key='rare_wer'):
        x, y = stats[f'{a}/{key}'], stats[f'{b}/{key}']
        diff = x['mean'] - y['mean']
        inside = abs(diff) <= max(x['sd'], y['sd'])
        rel = 100 * diff / y['mean'] if y['mean'] else float('nan')
        return (f'{a} vs {b} ({key}): {diff:+.2f} abs, {rel:+.1f}% rel; '
                + ('inside' if inside else 'outside') + ' the seed spread')

    notes = [gap('lm_aware_mwer_sf', 'mwer_sf'), gap('lm_aware_mwer_sf', 'mwer_sf', 'wer'),
             gap('shallow_fusion', 'no_lm'), gap('rescore_learned', 'rescore_fixed_swept')]
    weights = [f"seed {r['seed']}: fusion (lambda, beta) = "
               f"({r['swept_weights']['lm_weight']}, {r['swept_weights']['ilm_weight']}), "
               f"rescoring = ({r['rescore_weights']['lm_weight']}, "
               f"{r['rescore_weights']['ilm_weight']})" for r in runs]
    text += '\n\n' + '\n'.join(f'- {n}' for n in notes + weights)
    write_report(dict(stats=stats, runs=runs), osp.join(work, 'benchmark.json'), text)


def saved_bytes(fn) -> int:
    """Bytes of the tensors autograd keeps for backward while ``fn`` runs (the loss's
    training memory beyond its inputs)."""
    total = 0

    def pack(t):
        nonlocal total
        total += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        fn()
    return total


def lattice_cost(b: int, t: int, u: int, v: int, names: tuple[str, ...]) -> dict:
    """Seconds (fwd + bwd, median of 3) and backward memory of each loss implementation on
    one random lattice of B x T x (U+1) x (V+1) log-probs."""
    from projects.hat_mwer.models import (
        hat_transducer_loss,
        transducer_loss_bruteforce,
        transducer_loss_loop,
    )
    fns = dict(vectorised=hat_transducer_loss, loop=transducer_loss_loop,
               bruteforce=transducer_loss_bruteforce)
    torch.manual_seed(0)
    # Leaf log-probs: what is measured is the recursion alone (not the joint's softmax).
    lp = torch.log_softmax(torch.randn(b, t, u + 1, v + 1), -1)
    label = lp[..., :v].contiguous().requires_grad_()
    blank = lp[..., v].contiguous().requires_grad_()
    targets = torch.randint(v, (b, u))
    tl, ul = torch.full((b,), t), torch.full((b,), u)

    def loss(fn):
        return fn(label, blank, targets, tl, ul).sum()

    secs = time_side_by_side({k: (lambda f=fns[k]: loss(f).backward()) for k in names},
                             repeats=3)
    mem = {k: saved_bytes(lambda f=fns[k]: loss(f)) for k in names}
    return dict(seconds=secs, saved_bytes=mem)


def loss_cost(work: str) -> None:
    from projects.hat_mwer.models import hat_transducer_loss
    results, rows = {}, []
    for name, shape, names in (
            ('tiny (B=4, T=7, U=4, V=28)', (4, 7, 4, 28), ('vectorised', 'loop', 'bruteforce')),
            ('corpus-like (B=16, T=60, U=30, V=28)', (16, 60, 30, 28), ('vectorised', 'loop'))):
        res = results[name] = lattice_cost(*shape, names)
        secs, mem = res['seconds'], res['saved_bytes']
        for k in names:
            rows.append([name, k, f'{1000 * secs[k]:.1f}', f'{secs[k] / secs["vectorised"]:.1f}',
                         f'{mem[k] / 2 ** 20:.2f}', f'{mem[k] / mem["vectorised"]:.2f}'])
    # The loss's share of one NLL training step of the tiny model on a corpus-like batch.
    model = load_model(NLL)
    model.train()
    torch.manual_seed(0)
    b, t, u = 16, 55, 25
    feats = torch.randn(b, t, 120)
    enc_len = torch.full((b,), t)
    seqs = [torch.randint(27, (u,)).tolist() for _ in range(b)]

    def step():
        enc = model.encoder(feats, enc_len)
        model.nll(enc, enc_len, seqs).mean().backward()

    with torch.no_grad():
        tokens, lengths = model._pad(seqs)
        label, blank = model.joint(model.encoder(feats, enc_len), model.prediction(tokens))
    label, blank = label.requires_grad_(), blank.requires_grad_()

    def loss_only():
        hat_transducer_loss(label, blank, tokens, enc_len, lengths).sum().backward()

    secs = time_side_by_side(dict(step=step, loss=loss_only), repeats=3)
    results['share_of_step'] = secs['loss'] / secs['step']
    text = markdown_table(['lattice', 'implementation', 'ms (fwd+bwd)', 'time ratio',
                           'backward memory MiB', 'memory ratio'], rows)
    text += (f"\n\nTransducer recursion's share of a full NLL training step (B={b}, T={t}, "
             f"U={u}): {100 * results['share_of_step']:.0f}% (CPU, one thread).")
    write_report(results, osp.join(work, 'loss_cost.json'), text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--seed', type=int)
    parser.add_argument('--report', action='store_true')
    parser.add_argument('--loss-cost', action='store_true')
    parser.add_argument('--work-dir', default=osp.join(REPO, 'work_dirs/hat_mwer_benchmark'))
    parser.add_argument('--data-root', help='embedded corpus folder (default: the configs\')')
    parser.add_argument('--utterances', help='train,val,test utterance counts of the corpus')
    parser.add_argument('--nll-epochs', type=int, default=30)
    parser.add_argument('--mwer-epochs', type=int, default=2)
    parser.add_argument('--nll-only', action='store_true',
                        help='with --seed: only train the NLL model (a run of its own)')
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.data_root:
        DATA['root'] = args.data_root
    if args.utterances:
        DATA['utterances'] = dict(zip(('train', 'val', 'test'),
                                      map(int, args.utterances.split(',')), strict=True))
    os.makedirs(args.work_dir, exist_ok=True)
    if args.loss_cost:
        loss_cost(args.work_dir)
    if args.seed is not None:
        res = run_seed(args.seed, args.work_dir, args.nll_epochs, args.mwer_epochs,
                       args.nll_only)
        if args.nll_only:
            return
        with open(osp.join(args.work_dir, f'seed{args.seed}.json'), 'w') as f:
            json.dump(res, f, indent=2)
        print(json.dumps({k: v for k, v in res.items() if k in ROWS + ('mwer_sf',)}, indent=1))
    if args.report:
        report(args.work_dir)
    if not (args.loss_cost or args.seed is not None or args.report):
        parser.error('give --seed S, --report or --loss-cost.')


if __name__ == '__main__':
    main()
