"""Held-out CCC of the fusion settings of the JCA ablation (projects/jca_fusion).

Five settings train from scratch (the default); three fuse frozen encoders that the two
unimodal runs pre-trained (``... (frozen)``, the paper's recipe; README, "The fair test").

Evaluates, on the test split of each config (the held-out embedded videos for the tiny
configs), the checkpoint that each config's training selected on the validation split
(``best_ccc_mean_epoch_*.pth`` in ``WORK_ROOT/NAME``), and prints and writes CCC valence,
arousal and their mean::

    python projects/jca_fusion/tools/benchmark.py --work-root work_dirs/jca_fusion
"""
from __future__ import annotations

import argparse
import glob
import os.path as osp
import sys
import time

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '../../..')))

import projects  # noqa: E402,F401  (compatibility fixes, registry scope)
from projects.common import benchmark as harness  # noqa: E402

CONFIGS = 'projects/jca_fusion/configs'
SETTINGS = {
    'audio-only': 'audio-only_r18-w8_1xb16-10e_tiny-emotion-av.py',
    'visual-only': 'visual-only_r2plus1d-w8_1xb16-10e_tiny-emotion-av.py',
    'concatenation': 'concat_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py',
    'cross-attention': 'cross-attention_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py',
    'joint cross-attention': 'jca_r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py',
    # The paper's recipe: fusion on frozen encoders pre-trained by the two unimodal runs.
    'concatenation (frozen)': 'concat_frozen-unimodal-r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py',
    'cross-attention (frozen)':
        'cross-attention_frozen-unimodal-r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py',
    'joint cross-attention (frozen)':
        'jca_frozen-unimodal-r2plus1d-r18-w8_1xb16-10e_tiny-emotion-av.py',
}
# By default the settings trained from scratch (the frozen ones need the unimodal runs first).
DEFAULT_SETTINGS = [name for name in SETTINGS if not name.endswith('(frozen)')]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-root', default='work_dirs/jca_fusion',
                        help='folder holding one work dir per config (named as the config '
                        'without its "_1xb16-..." suffix)')
    parser.add_argument('--checkpoint', default='best',
                        help="'best' (validation-selected) or a file name such as epoch_10.pth")
    parser.add_argument('--settings', nargs='+', choices=list(SETTINGS), default=DEFAULT_SETTINGS,
                        metavar='SETTING',
                        help=f'some of {list(SETTINGS)} (default: {DEFAULT_SETTINGS})')
    parser.add_argument('--out', default=None, help='json file (default WORK_ROOT/benchmark.json)')
    return parser.parse_args(argv)


def find_checkpoint(work_dir: str, which: str) -> str:
    """The selected checkpoint of one training run."""
    if which == 'best':
        found = sorted(glob.glob(osp.join(work_dir, 'best_ccc_mean_epoch_*.pth')))
        if not found:
            raise FileNotFoundError(f'No best_ccc_mean_epoch_*.pth in {work_dir!r}: train the '
                                    'config first (see the project README).')
        return found[-1]
    path = osp.join(work_dir, which)
    if not osp.isfile(path):
        raise FileNotFoundError(f'Missing checkpoint {path!r}.')
    return path


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    results = {}
    for name in args.settings:
        file = SETTINGS[name]
        run = osp.join(args.work_root, file.split('_1xb')[0])
        checkpoint = find_checkpoint(run, args.checkpoint)
        start = time.time()
        metrics = harness.evaluate(osp.join(CONFIGS, file), checkpoint, osp.join(run, 'benchmark'))
        results[name] = dict(config=file, checkpoint=checkpoint,
                             valence=metrics['ccc/valence'], arousal=metrics['ccc/arousal'],
                             mean=metrics['ccc/mean'], seconds=round(time.time() - start, 1))
    columns = ('valence', 'arousal', 'mean')
    rows = [[name, *(f'{r[c]:.4f}' for c in columns)] for name, r in results.items()]
    table = harness.markdown_table(['setting', *columns], rows)
    harness.write_report(results, args.out or osp.join(args.work_root, 'benchmark.json'), table)
    return results


if __name__ == '__main__':
    main()
