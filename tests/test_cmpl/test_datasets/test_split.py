"""split_labeled: per-class, seeded, disjoint, reproducible, written once."""
from __future__ import annotations

import collections

import pytest

from projects.cmpl.datasets import split_labeled


def write_list(path, counts: dict[int, int]) -> str:
    lines = [f'c{label}/{i:03d}.mp4 {label}' for label, n in counts.items() for i in range(n)]
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def read(path: str) -> list[str]:
    with open(path) as f:
        return f.read().splitlines()


def test_split_is_per_class_disjoint_and_complete(tmp_path):
    ann = write_list(tmp_path / 'train.txt', {0: 100, 1: 50, 2: 3})
    labeled, unlabeled = (read(p) for p in split_labeled(ann, 10, seed=0))
    assert not set(labeled) & set(unlabeled)
    assert sorted(labeled + unlabeled) == sorted(read(ann))
    per_class = collections.Counter(line.split()[-1] for line in labeled)
    assert per_class == {'0': 10, '1': 5, '2': 1}  # at least one label per class


def test_split_is_reproducible_and_seeded(tmp_path):
    ann = write_list(tmp_path / 'train.txt', {0: 60, 1: 60})
    first = read(split_labeled(ann, 5, seed=3, out_dir=str(tmp_path / 'a'))[0])
    again = read(split_labeled(ann, 5, seed=3, out_dir=str(tmp_path / 'b'))[0])
    other = read(split_labeled(ann, 5, seed=4, out_dir=str(tmp_path / 'c'))[0])
    assert first == again
    assert first != other


def test_split_is_written_once_and_reused(tmp_path):
    ann = write_list(tmp_path / 'train.txt', {0: 20})
    labeled, _ = split_labeled(ann, 10)
    with open(labeled, 'w') as f:
        f.write('kept 0\n')
    assert read(split_labeled(ann, 10)[0]) == ['kept 0']


@pytest.mark.parametrize('content, percent, match', [
    ('a.mp4 x\n', 10, 'integer label'), ('a.mp4 0\n', 0, 'percent'),
    ('a.mp4 0\n', 100, 'percent')])
def test_bad_input_names_the_problem(tmp_path, content, percent, match):
    ann = tmp_path / 'train.txt'
    ann.write_text(content)
    with pytest.raises(ValueError, match=match):
        split_labeled(str(ann), percent)
